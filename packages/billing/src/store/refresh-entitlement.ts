import type { DbOrTx } from "@agentbot/db";
import { getPlan } from "@agentbot/plans";
import { resolveEntitlement } from "../rules/entitlement.ts";
import type { EffectiveStatus, Entitlement, EntitlementSources } from "../rules/entitlement.ts";
import { recordBillingEvent } from "./billing-events.ts";
import { enqueueBillingTask } from "./billing-tasks.ts";

/** Everything that can entitle `userId`, as stored. */
export async function loadEntitlementSources(db: DbOrTx, userId: string): Promise<EntitlementSources> {
  const [stripe, usdc, grants] = await Promise.all([
    db.stripeSubscription.findMany({ where: { userId } }),
    db.usdcInvoice.findMany({
      where: { userId, status: "paid", periodStart: { not: null }, periodEnd: { not: null } },
      select: { id: true, plan: true, periodStart: true, periodEnd: true },
    }),
    db.planGrant.findMany({ where: { userId } }),
  ]);
  return {
    stripe,
    usdc: usdc.flatMap((invoice) =>
      invoice.periodStart && invoice.periodEnd
        ? [
            {
              invoiceId: invoice.id,
              plan: invoice.plan,
              periodStart: invoice.periodStart,
              periodEnd: invoice.periodEnd,
            },
          ]
        : [],
    ),
    grants,
  };
}

export async function currentEntitlement(db: DbOrTx, userId: string, now: Date): Promise<Entitlement> {
  return resolveEntitlement(await loadEntitlementSources(db, userId), now);
}

function describe(entitlement: Entitlement): string {
  const plan = entitlement.plan === null ? "no plan" : getPlan(entitlement.plan).name;
  const status: Record<EffectiveStatus, string> = {
    none: "no subscription",
    trialing: "trial",
    active: "active",
    past_due: "payment past due",
    unpaid: "unpaid",
    canceled: "canceled",
    paused: "paused",
    incomplete: "payment incomplete",
    expired: "period ended",
  };
  return `${plan}, ${status[entitlement.status]}`;
}

/**
 * Re-derives `userId`'s plan and status in force from their stored sources and stores it (User.plan,
 * User.subscriptionStatus, BillingAccount.pastDueSince), in the caller's transaction. A change is written to the
 * billing event log and queues an enforcement pass (the backend suspends or resumes agents as the rules say). Call it
 * after any change to a user's Stripe subscriptions, USDC periods or grants, and when time may have moved a period
 * past its end. Answers the entitlement in force.
 */
export async function refreshEntitlement(
  db: DbOrTx,
  userId: string,
  now: Date,
  cause: { readonly reason: string; readonly actorUserId?: string | null },
): Promise<{ readonly entitlement: Entitlement; readonly changed: boolean }> {
  const entitlement = await currentEntitlement(db, userId, now);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { plan: true, subscriptionStatus: true, billingAccount: { select: { pastDueSince: true } } },
  });
  if (user === null) return { entitlement, changed: false };
  const changed = user.plan !== entitlement.plan || user.subscriptionStatus !== entitlement.status;
  const pastDueSince = entitlement.status === "past_due" ? (user.billingAccount?.pastDueSince ?? now) : null;
  if (changed) {
    await db.user.update({
      where: { id: userId },
      data: { plan: entitlement.plan, subscriptionStatus: entitlement.status },
    });
    await recordBillingEvent(db, {
      userId,
      type: "status.changed",
      message: `Billing is now: ${describe(entitlement)} (${cause.reason})`,
      data: {
        from: { plan: user.plan, status: user.subscriptionStatus },
        to: { plan: entitlement.plan, status: entitlement.status },
        source: entitlement.source,
        reason: cause.reason,
      },
      actorUserId: cause.actorUserId ?? null,
    });
  }
  if ((user.billingAccount?.pastDueSince ?? null)?.getTime() !== pastDueSince?.getTime()) {
    await db.billingAccount.upsert({
      where: { userId },
      create: { userId, pastDueSince },
      update: { pastDueSince },
    });
  }
  if (changed) await enqueueBillingTask(db, { kind: "enforce", userId });
  return { entitlement, changed };
}
