import type { Db } from "@agentbot/db";
import type { BillingInterval, PlanId } from "@agentbot/plans";
import { enqueueBillingTask } from "../store/billing-tasks.ts";
import { createUsdcInvoice } from "./create-usdc-invoice.ts";
import type { UsdcDeps } from "./create-usdc-invoice.ts";

/**
 * Before a paid USDC period ends, the customer gets the invoice for the next one by email: for every paid period
 * ending within `leadMs` whose renewal was not sent yet, an invoice for the same plan and interval is created (or the
 * open one reused) and emailed, once per period. Users with a card subscription in force are skipped.
 */
export async function sendUsdcRenewals(deps: UsdcDeps, leadMs: number): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db.usdcInvoice.findMany({
    where: {
      status: "paid",
      renewalSentAt: null,
      periodEnd: { gt: now, lte: new Date(now.getTime() + leadMs) },
    },
    take: 100,
  });
  let sent = 0;
  for (const period of due) {
    if (await renewedAlready(deps.db, period.userId, period.periodEnd ?? now)) {
      await deps.db.usdcInvoice.update({ where: { id: period.id }, data: { renewalSentAt: now } });
      continue;
    }
    const next = await createUsdcInvoice(deps, {
      userId: period.userId,
      plan: period.plan as PlanId,
      interval: period.interval as BillingInterval,
    });
    await deps.db.$transaction(async (tx) => {
      await tx.usdcInvoice.update({ where: { id: period.id }, data: { renewalSentAt: now } });
      await enqueueBillingTask(tx, {
        kind: "email",
        userId: period.userId,
        payload: { template: "billing_usdc_invoice", invoiceId: next.id },
        dedupeKey: `usdc-renewal:${period.id}`,
      });
    });
    sent++;
  }
  return sent;
}

/** A later period is already paid, or a card subscription entitles the user: no renewal invoice needed. */
async function renewedAlready(db: Db, userId: string, end: Date): Promise<boolean> {
  const [later, card] = await Promise.all([
    db.usdcInvoice.count({ where: { userId, status: "paid", periodEnd: { gt: end } } }),
    db.stripeSubscription.count({ where: { userId, status: { in: ["trialing", "active"] } } }),
  ]);
  return later > 0 || card > 0;
}
