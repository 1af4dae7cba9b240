import type { Tx } from "@agentbot/db";
import { getPlan } from "@agentbot/plans";
import type { BillingInterval, PlanId } from "@agentbot/plans";
import { formatUsdc } from "../rules/money.ts";
import { recordBillingEvent } from "../store/billing-events.ts";
import { enqueueBillingTask } from "../store/billing-tasks.ts";
import { refreshEntitlement } from "../store/refresh-entitlement.ts";
import { periodEnd } from "./billing-period.ts";

type Invoice = Awaited<ReturnType<Tx["usdcInvoice"]["findUniqueOrThrow"]>>;

/**
 * Marks an invoice paid and starts its period: now, or when the user's latest paid USDC period ends if that is later
 * (paying the next period early extends rather than overlaps). Refreshes the entitlement, logs it and queues the
 * receipt (once per invoice).
 */
export async function markInvoicePaid(tx: Tx, invoice: Invoice, now: Date, how: string): Promise<Invoice> {
  const latest = await tx.usdcInvoice.findFirst({
    where: { userId: invoice.userId, status: "paid", periodEnd: { not: null }, id: { not: invoice.id } },
    orderBy: { periodEnd: "desc" },
    select: { periodEnd: true },
  });
  const start = latest?.periodEnd && latest.periodEnd > now ? latest.periodEnd : now;
  const paid = await tx.usdcInvoice.update({
    where: { id: invoice.id },
    data: {
      status: "paid",
      paidAt: now,
      periodStart: start,
      periodEnd: periodEnd(start, invoice.interval as BillingInterval),
    },
  });
  await recordBillingEvent(tx, {
    userId: invoice.userId,
    type: "payment.succeeded",
    message: `USDC invoice ${invoice.id} paid (${formatUsdc(invoice.amountTotal)}, ${how})`,
    data: { invoice: invoice.id, periodStart: paid.periodStart, periodEnd: paid.periodEnd },
  });
  await refreshEntitlement(tx, invoice.userId, now, { reason: `USDC invoice ${invoice.id} paid` });
  await enqueueBillingTask(tx, {
    kind: "email",
    userId: invoice.userId,
    payload: {
      template: "billing_receipt",
      method: "usdc",
      reference: invoice.id,
      amount: formatUsdc(invoice.amountTotal),
      planName: getPlan(invoice.plan as PlanId).name,
      periodEnd: paid.periodEnd?.toISOString() ?? null,
    },
    dedupeKey: `receipt:${invoice.id}`,
  });
  return paid;
}
