import { createHmac, randomUUID } from "node:crypto";
import { EVM_ADDRESS, TRANSACTION_HASH, newEvmAddress, randomTransactionHash } from "./addresses.ts";

/**
 * CDP's `onchain.activity.detected` webhook for an ERC-20 `Transfer` log, as Hook0 (CDP's delivery service) sends it.
 *
 * Body: the event itself, flat, with no envelope (docs.cdp.coinbase.com/api-reference/v2/webhooks/
 * webhook-onchain-activity-detected; the `wallet.activity.*` events are the ones wrapped in
 * `{eventId, eventType, timestamp, data}`). It is sent indented with two spaces, so a receiver that verifies a
 * re-serialised body instead of the raw bytes fails here rather than in production.
 *
 * Headers: `content-type: application/json`, `x-hook0-id: <event id, a UUID>` and
 * `x-hook0-signature: t=<unix seconds>,h=content-type x-hook0-id,v1=<hex HMAC-SHA256>` over
 * `${t}.${h}.${"application/json"}.${event id}.${body}` keyed with the subscription's secret.
 * Redeliveries (Hook0 retries) carry the same id and body under a fresh `t`.
 */

export interface CdpTransferInput {
  /** The recipient (`parameters.to`): typically a deposit address the stand-in created. */
  to: string;
  /** Base units (USDC has 6 decimals): a bigint, or its decimal digits. */
  value: bigint | string;
  /** The token contract. Default: USDC on `network` (base-mainnet and base-sepolia only). */
  contract?: string;
  /** Default "base-mainnet". */
  network?: string;
  /** The sender (`parameters.from`, and `transaction_from`). Default: a fresh random address. */
  from?: string;
  /** Default: a random 0x + 64 hex digits. */
  transactionHash?: string;
  /** Default 0. */
  logIndex?: number;
  /** Default: one more than the previous transfer's (starting near Base's current height). */
  blockNumber?: number;
  /** The signature's `t`, in unix seconds. Default: now. Set it in the past to test stale signatures. */
  timestamp?: number;
}

export interface CdpSignedDelivery {
  /** The event id, sent as `x-hook0-id`. */
  readonly eventId: string;
  /** The raw body, exactly as sent. */
  readonly body: string;
  /** Every header sent, lower-case names: content-type, x-hook0-id, x-hook0-signature. */
  readonly headers: Record<string, string>;
}

export interface CdpDeliveryResult extends CdpSignedDelivery {
  /** The receiver's HTTP status. */
  readonly status: number;
}

/** The body of one `onchain.activity.detected` Transfer event (keys in CDP's order). */
export interface OnchainTransferEventBody {
  block_number: number;
  contract_address: string;
  event_name: "Transfer";
  event_signature: string;
  log_index: number;
  network: string;
  parameters: { from: string; to: string; value: string };
  timestamp: string;
  transaction_from: string;
  transaction_hash: string;
  transaction_to: string;
}

/** Circle's USDC on Base, where the stand-in defaults `contract` from `network`. */
export const USDC_CONTRACTS: Readonly<Record<string, string>> = {
  "base-mainnet": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
  "base-sepolia": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
};

export const TRANSFER_EVENT_SIGNATURE = "Transfer(address indexed from, address indexed to, uint256 value)";
/** The headers the signature covers, in the order `h` lists them. */
export const SIGNED_HEADERS = ["content-type", "x-hook0-id"] as const;

const CONTENT_TYPE = "application/json";
const MAX_UINT256 = (1n << 256n) - 1n;
const FIRST_BLOCK = 30_000_000;
/** Hook0 gives up on an attempt after this long. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The `X-Hook0-Signature` value for `body` and the named headers' values (looked up by lower-case name in
 * `headers`), at `timestamp` (unix seconds). Exported for tests that sign bodies of their own making.
 */
export function signCdpWebhook(input: {
  secret: string;
  body: string;
  headers: Readonly<Record<string, string>>;
  signedHeaders?: readonly string[];
  timestamp?: number;
}): string {
  const names = input.signedHeaders ?? SIGNED_HEADERS;
  const t = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const h = names.join(" ");
  const values = names.map((name) => {
    const value = input.headers[name];
    if (value === undefined) throw new RangeError(`signCdpWebhook: no value for the signed header ${name}`);
    return value;
  });
  const v1 = createHmac("sha256", input.secret).update(`${t}.${h}.${values.join(".")}.${input.body}`, "utf8");
  return `t=${t},h=${h},v1=${v1.digest("hex")}`;
}

/** Builds the event body for a transfer; throws a RangeError naming the first bad input field. */
export function transferEventBody(input: CdpTransferInput, blockNumber: number, now: Date): OnchainTransferEventBody {
  const network = input.network ?? "base-mainnet";
  if (network === "") throw new RangeError("transfer: network is empty");
  const contract = input.contract ?? USDC_CONTRACTS[network];
  if (contract === undefined) throw new RangeError(`transfer: no default USDC contract on ${network}; pass contract`);
  const from = input.from ?? newEvmAddress();
  const transactionHash = input.transactionHash ?? randomTransactionHash();
  const logIndex = input.logIndex ?? 0;
  for (const [field, value] of [
    ["to", input.to],
    ["from", from],
    ["contract", contract],
  ] as const) {
    if (!EVM_ADDRESS.test(value))
      throw new RangeError(`transfer: ${field} is not an EVM address: ${JSON.stringify(value)}`);
  }
  if (!TRANSACTION_HASH.test(transactionHash)) {
    throw new RangeError(`transfer: transactionHash is not 0x and 64 hex digits: ${JSON.stringify(transactionHash)}`);
  }
  if (!Number.isSafeInteger(logIndex) || logIndex < 0)
    throw new RangeError("transfer: logIndex must be an integer >= 0");
  if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) {
    throw new RangeError("transfer: blockNumber must be an integer >= 0");
  }
  return {
    block_number: blockNumber,
    contract_address: contract,
    event_name: "Transfer",
    event_signature: TRANSFER_EVENT_SIGNATURE,
    log_index: logIndex,
    network,
    parameters: { from, to: input.to, value: baseUnits(input.value) },
    timestamp: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    transaction_from: from,
    transaction_hash: transactionHash,
    transaction_to: contract,
  };
}

function baseUnits(value: bigint | string): string {
  if (typeof value === "string" && !/^\d{1,78}$/.test(value)) {
    throw new RangeError(`transfer: value must be decimal digits of base units, got ${JSON.stringify(value)}`);
  }
  const units = BigInt(value);
  if (units < 0n || units > MAX_UINT256) throw new RangeError("transfer: value must be a uint256 (0 to 2^256 - 1)");
  return units.toString();
}

export interface WebhookSender {
  signedDelivery(input: CdpTransferInput): CdpSignedDelivery;
  transfer(input: CdpTransferInput): Promise<CdpDeliveryResult>;
  redeliver(eventId: string): Promise<CdpDeliveryResult>;
}

export function createWebhookSender(options: { secret: string; webhookUrl: () => string | undefined }): WebhookSender {
  /** Bodies of the events sent by `transfer`, by event id, for `redeliver`. */
  const sent = new Map<string, string>();
  let lastBlock = FIRST_BLOCK;

  function sign(eventId: string, body: string, timestamp?: number): CdpSignedDelivery {
    const headers: Record<string, string> = { "content-type": CONTENT_TYPE, "x-hook0-id": eventId };
    const signature = signCdpWebhook({
      secret: options.secret,
      body,
      headers,
      ...(timestamp === undefined ? {} : { timestamp }),
    });
    return { eventId, body, headers: { ...headers, "x-hook0-signature": signature } };
  }

  function signedDelivery(input: CdpTransferInput): CdpSignedDelivery {
    const blockNumber = input.blockNumber ?? lastBlock + 1;
    const event = transferEventBody(input, blockNumber, new Date());
    lastBlock = Math.max(lastBlock, blockNumber);
    return sign(randomUUID(), JSON.stringify(event, null, 2), input.timestamp);
  }

  async function post(delivery: CdpSignedDelivery): Promise<CdpDeliveryResult> {
    const url = options.webhookUrl();
    if (url === undefined) throw new Error("CDP stand-in: no webhook URL is set (setWebhookUrl)");
    const response = await fetch(url, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { ...delivery, status: response.status };
  }

  return {
    signedDelivery,
    async transfer(input) {
      const delivery = signedDelivery(input);
      sent.set(delivery.eventId, delivery.body);
      return post(delivery);
    },
    async redeliver(eventId) {
      const body = sent.get(eventId);
      if (body === undefined) throw new RangeError(`CDP stand-in: no event ${eventId} was sent by transfer()`);
      return post(sign(eventId, body));
    },
  };
}
