import { newId, withTx } from "@agentbot/db";
import type { Db, Tx } from "@agentbot/db";
import { parseOnchainActivity } from "../cdp/cdp-payload.ts";
import type { OnchainActivityEvent } from "../cdp/cdp-payload.ts";
import { verifyCdpWebhookSignature } from "../cdp/webhook-signature.ts";
import { formatUsdc, parseBaseUnits } from "../rules/money.ts";
import { recordBillingEvent } from "../store/billing-events.ts";
import { claimWebhookEvent } from "../store/webhook-events.ts";
import { markInvoicePaid } from "./mark-invoice-paid.ts";
import { sameAddress, usdcNetworks } from "./usdc-networks.ts";
import type { UsdcNetwork } from "./usdc-networks.ts";

/**
 * CDP's webhook for token transfers to our deposit addresses (`onchain.activity.detected`, Transfer events).
 * Guarantees:
 * - Nothing happens before the X-Hook0-Signature verified (HMAC over timestamp, signed headers and raw body, within
 *   a 300 s window, timing-safe); anything else is a 400 with no effect.
 * - Exactly once: the event id is claimed in the transaction of its effect, and each on-chain transfer (network,
 *   transaction hash, log index) is recorded once, so a redelivery under a new event id credits nothing twice.
 * - Only USDC on the configured Base network to an invoice's address is credited, in integer base units. Everything
 *   else (another token, another network, an unknown address, a transfer after the invoice expired) is recorded with
 *   its reason for an admin, and never credited.
 * - Transfers to one invoice are serialised (row lock), so concurrent deliveries add up exactly.
 * Not covered: chain reorganisations (CDP reports confirmed blocks; a reorg would need an admin).
 */

export interface CdpWebhookDeps {
  readonly db: Db;
  readonly webhookSecret: string;
  readonly network: UsdcNetwork;
  readonly now?: () => Date;
}

export type CdpWebhookResult =
  | {
      readonly status: 200;
      readonly outcome: "processed" | "duplicate" | "ignored";
      readonly transfer?: TransferOutcome;
    }
  | { readonly status: 400; readonly error: "invalid_signature" | "invalid_payload"; readonly message: string };

export type TransferOutcome =
  | "credited"
  | "paid"
  | "overpaid"
  | "wrong_token"
  | "wrong_network"
  | "unknown_address"
  | "late"
  | "duplicate_transfer";

function header(headers: Headers, name: string): string | null {
  return headers.get(name);
}

export async function handleCdpWebhook(
  deps: CdpWebhookDeps,
  request: { readonly rawBody: string; readonly headers: Headers },
): Promise<CdpWebhookResult> {
  const verified = verifyCdpWebhookSignature({
    rawBody: request.rawBody,
    signatureHeader: header(request.headers, "x-hook0-signature"),
    headers: request.headers,
    secret: deps.webhookSecret,
  });
  if (!verified.ok) {
    return { status: 400, error: "invalid_signature", message: `X-Hook0-Signature: ${verified.reason}` };
  }
  const eventId = header(request.headers, "x-hook0-id") ?? header(request.headers, "x-event-id");
  if (eventId === null || eventId === "") {
    return { status: 400, error: "invalid_payload", message: "the delivery has no event id (x-hook0-id)" };
  }
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    return { status: 400, error: "invalid_payload", message: "the body is not JSON" };
  }
  const parsed = parseOnchainActivity(json);
  const now = deps.now?.() ?? new Date();
  return withTx(deps.db, async (tx) => {
    const eventType = parsed.ok ? "onchain.activity.detected" : "unrecognised";
    if (!(await claimWebhookEvent(tx, { provider: "cdp", eventId, type: eventType }))) {
      return { status: 200, outcome: "duplicate" } as const;
    }
    if (!parsed.ok || parsed.value.event_name !== "Transfer") return { status: 200, outcome: "ignored" } as const;
    const transfer = await applyTransfer(tx, deps.network, eventId, parsed.value, now);
    return { status: 200, outcome: "processed", transfer } as const;
  });
}

async function applyTransfer(
  tx: Tx,
  network: UsdcNetwork,
  eventId: string,
  event: OnchainActivityEvent,
  now: Date,
): Promise<TransferOutcome> {
  const to = event.parameters.to;
  const invoice = await tx.usdcInvoice.findFirst({ where: { depositAddress: { equals: to, mode: "insensitive" } } });
  const amount = parseBaseUnits(event.parameters.value);
  const classify = (): TransferOutcome | null => {
    if (event.network !== network) return "wrong_network";
    if (!sameAddress(event.contract_address, usdcNetworks[network].usdcContract)) return "wrong_token";
    if (invoice === null) return "unknown_address";
    if (amount === null) return "wrong_token";
    if (invoice.status === "expired" || invoice.status === "void") return "late";
    if (invoice.status === "open" && invoice.expiresAt <= now) return "late";
    return null;
  };
  const refused = classify();
  const inserted = await tx.$executeRaw`
    INSERT INTO usdc_transfers (id, event_id, invoice_id, network, contract_address, tx_hash, log_index, from_address,
      to_address, amount, status)
    VALUES (${newId("usdcTransfer")}, ${eventId}, ${invoice?.id ?? null}, ${event.network}, ${event.contract_address},
      ${event.transaction_hash}, ${event.log_index}, ${event.parameters.from}, ${to}, ${event.parameters.value},
      ${refused ?? "credited"})
    ON CONFLICT (network, tx_hash, log_index) DO NOTHING`;
  if (inserted === 0) return "duplicate_transfer";
  if (invoice === null || amount === null) return refused ?? "unknown_address";
  if (refused !== null) {
    if (refused === "late" && invoice.status === "open") {
      await tx.usdcInvoice.update({ where: { id: invoice.id }, data: { status: "expired" } });
    }
    await recordBillingEvent(tx, {
      userId: invoice.userId,
      type: "usdc.transfer.held",
      message: `A transfer of ${event.parameters.value} base units to the address of invoice ${invoice.id} was not credited (${refused}); an admin will resolve it`,
      data: { invoice: invoice.id, reason: refused, txHash: event.transaction_hash },
    });
    return refused;
  }

  // Serialise transfers to this invoice, then add up from the locked row.
  const [locked] = await tx.$queryRaw<{ amount_received: bigint; status: string }[]>`
    SELECT amount_received, status FROM usdc_invoices WHERE id = ${invoice.id} FOR UPDATE`;
  if (locked === undefined) return "unknown_address";
  if (locked.status === "paid") {
    await tx.billingAccount.upsert({
      where: { userId: invoice.userId },
      create: { userId: invoice.userId, usdcCredit: amount },
      update: { usdcCredit: { increment: amount } },
    });
    await tx.usdcInvoice.update({ where: { id: invoice.id }, data: { amountReceived: { increment: amount } } });
    await recordBillingEvent(tx, {
      userId: invoice.userId,
      type: "usdc.credit",
      message: `${formatUsdc(amount)} more arrived for paid invoice ${invoice.id}: kept as credit for your next period`,
      data: { invoice: invoice.id, amount: amount.toString() },
    });
    return "overpaid";
  }
  const received = locked.amount_received + amount;
  const updated = await tx.usdcInvoice.update({ where: { id: invoice.id }, data: { amountReceived: received } });
  if (received < invoice.amountDue) {
    await recordBillingEvent(tx, {
      userId: invoice.userId,
      type: "usdc.partial",
      message: `${formatUsdc(amount)} received for invoice ${invoice.id}: ${formatUsdc(invoice.amountDue - received)} still missing`,
      data: { invoice: invoice.id, received: received.toString(), due: invoice.amountDue.toString() },
    });
    return "credited";
  }
  const over = received - invoice.amountDue;
  if (over > 0n) {
    await tx.billingAccount.upsert({
      where: { userId: invoice.userId },
      create: { userId: invoice.userId, usdcCredit: over },
      update: { usdcCredit: { increment: over } },
    });
    await recordBillingEvent(tx, {
      userId: invoice.userId,
      type: "usdc.credit",
      message: `${formatUsdc(over)} paid beyond invoice ${invoice.id}: kept as credit for your next period`,
      data: { invoice: invoice.id, amount: over.toString() },
    });
  }
  await markInvoicePaid(tx, updated, now, "paid on Base");
  return over > 0n ? "overpaid" : "paid";
}
