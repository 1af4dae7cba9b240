import { newId, withTx } from "@agentbot/db";
import type { Db } from "@agentbot/db";
import type { BillingInterval, PlanId } from "@agentbot/plans";
import { BillingError } from "../errors.ts";
import type { BillingCatalog } from "../rules/catalog.ts";
import { recordBillingEvent } from "../store/billing-events.ts";
import { markInvoicePaid } from "./mark-invoice-paid.ts";
import type { UsdcNetwork } from "./usdc-networks.ts";

/** Hands out a fresh deposit address (a CDP server account) for one invoice. */
export interface DepositAddressProvider {
  createDepositAddress(name: string): Promise<{ readonly address: string; readonly name: string }>;
}

export interface UsdcDeps {
  readonly db: Db;
  readonly catalog: BillingCatalog;
  readonly addresses: DepositAddressProvider;
  readonly network: UsdcNetwork;
  /** How long an invoice may be paid. */
  readonly invoiceTtlMs: number;
  readonly now?: () => Date;
}

/** Open invoices a user may have at once: each costs a CDP account, so a loop of clicks cannot mint thousands. */
const MAX_OPEN_INVOICES = 3;

/**
 * An invoice for one period of a plan in USDC on Base, with a deposit address of its own. Credit left from an earlier
 * overpayment is taken off (atomically, so it is spent once); an invoice the credit covers entirely is paid at once.
 * An open, unexpired invoice for the same plan and interval is answered instead of a new one.
 */
export async function createUsdcInvoice(
  deps: UsdcDeps,
  input: { readonly userId: string; readonly plan: PlanId; readonly interval: BillingInterval },
) {
  const now = deps.now?.() ?? new Date();
  const { db } = deps;
  const open = await db.usdcInvoice.findMany({
    where: { userId: input.userId, status: "open", expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
  });
  const same = open.find((invoice) => invoice.plan === input.plan && invoice.interval === input.interval);
  if (same !== undefined) return same;
  if (open.length >= MAX_OPEN_INVOICES) {
    throw new BillingError(
      "invalid_state",
      `you already have ${open.length} open USDC invoices: pay one or let it expire before asking for another`,
    );
  }
  const id = newId("usdcInvoice");
  // CDP account names: 2-36 characters of letters, digits and hyphens.
  const deposit = await deps.addresses.createDepositAddress(`agentbot-${id.slice(4, 30)}`);
  const amountTotal = deps.catalog.usdcAmount(input.plan, input.interval);
  return withTx(db, async (tx) => {
    const account = await tx.billingAccount.upsert({
      where: { userId: input.userId },
      create: { userId: input.userId },
      update: {},
    });
    const creditApplied = account.usdcCredit < amountTotal ? account.usdcCredit : amountTotal;
    if (creditApplied > 0n) {
      await tx.billingAccount.update({
        where: { userId: input.userId },
        data: { usdcCredit: { decrement: creditApplied } },
      });
    }
    const invoice = await tx.usdcInvoice.create({
      data: {
        id,
        userId: input.userId,
        plan: input.plan,
        interval: input.interval,
        amountTotal,
        creditApplied,
        amountDue: amountTotal - creditApplied,
        network: deps.network,
        depositAddress: deposit.address,
        cdpAccountName: deposit.name,
        status: "open",
        expiresAt: new Date(now.getTime() + deps.invoiceTtlMs),
      },
    });
    await recordBillingEvent(tx, {
      userId: input.userId,
      type: "usdc.invoice.created",
      message: `USDC invoice ${invoice.id} created for ${input.plan} (${input.interval})`,
      data: { invoice: invoice.id, amountDue: invoice.amountDue.toString(), creditApplied: creditApplied.toString() },
    });
    if (invoice.amountDue === 0n) return markInvoicePaid(tx, invoice, now, "covered by credit");
    return invoice;
  });
}
