import { z } from "zod";

/**
 * The body of CDP's `onchain.activity.detected` webhook for a token `Transfer` event
 * (docs.cdp.coinbase.com/api-reference/v2/webhooks/webhook-onchain-activity-detected).
 * Checks shape and formats only: addresses are 0x + 40 hex digits (any letter case, not checksum-verified), the
 * transaction hash is 0x + 64 hex digits, `parameters.value` is decimal digits of base units (at most 78, a uint256).
 * Extra fields are tolerated and dropped. It does not say the event is authentic (verify the signature first), nor
 * that it is the token, network or recipient you expect: the caller compares those.
 */

const evmAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, { error: "expected an EVM address (0x and 40 hex digits)" });
const nonNegativeInteger = z.number().int().nonnegative();

export const onchainActivityEventSchema = z.object({
  block_number: nonNegativeInteger,
  contract_address: evmAddress,
  event_name: z.string().min(1),
  event_signature: z.string().optional(),
  log_index: nonNegativeInteger,
  network: z.string().min(1),
  parameters: z.object({
    from: evmAddress,
    to: evmAddress,
    value: z.string().regex(/^\d{1,78}$/, { error: "expected decimal digits of base units" }),
  }),
  timestamp: z.string().min(1),
  transaction_from: evmAddress.optional(),
  transaction_hash: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, { error: "expected a transaction hash (0x and 64 hex digits)" }),
  transaction_to: evmAddress.optional(),
});

export type OnchainActivityEvent = z.infer<typeof onchainActivityEventSchema>;

export type ParseOnchainActivityResult = { ok: true; value: OnchainActivityEvent } | { ok: false; error: string };

/** Parses an already JSON-decoded body. The error names the first offending field: "parameters.value: …". */
export function parseOnchainActivity(json: unknown): ParseOnchainActivityResult {
  const result = onchainActivityEventSchema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  if (issue === undefined) return { ok: false, error: "not an onchain.activity.detected event" };
  const field = issue.path.length === 0 ? "body" : issue.path.map(String).join(".");
  return { ok: false, error: `${field}: ${issue.message}` };
}
