import "server-only";
import { currentEntitlement, graceEndsAt, usdcNetworks } from "@agentbot/billing";
import type { UsdcNetwork } from "@agentbot/billing";
import { SubscriptionStatus, UsdcInvoiceResponse } from "@agentbot/contracts";
import type { SubscriptionResponse } from "@agentbot/contracts";
import { PlanId } from "@agentbot/plans";
import { billing } from "./billing.ts";
import { services } from "./infra.ts";

/** The public API's billing answers (`/api/v1/billing/*`), read from what the billing rules stored. */

export async function subscriptionOf(userId: string): Promise<SubscriptionResponse> {
  const { db } = services();
  const [user, account, entitlement] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { plan: true, subscriptionStatus: true } }),
    db.billingAccount.findUnique({ where: { userId } }),
    currentEntitlement(db, userId, new Date()),
  ]);
  // Values the contract does not know (a plan retired later, say) read as none rather than failing the request.
  const status = SubscriptionStatus.safeParse(user.subscriptionStatus).data ?? "none";
  const source = entitlement.source?.kind;
  return {
    plan: PlanId.safeParse(user.plan).data ?? null,
    subscriptionStatus: status,
    entitled: status === "trialing" || status === "active",
    source: source === undefined ? null : source === "stripe" ? "card" : source,
    trialEnd: status === "trialing" ? (entitlement.trialEnd?.toISOString() ?? null) : null,
    currentPeriodEnd: entitlement.periodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: entitlement.cancelAtPeriodEnd,
    graceEndsAt:
      status === "past_due" && account?.pastDueSince
        ? graceEndsAt(account.pastDueSince, billing().config.gracePeriodMs).toISOString()
        : null,
    agentsSuspendedAt: account?.suspendedAt?.toISOString() ?? null,
  };
}

/** The caller's own invoice, or null (absent, or another user's: the route answers 404 for both). */
export async function usdcInvoiceOf(userId: string, invoiceId: string): Promise<UsdcInvoiceResponse | null> {
  const invoice = await services().db.usdcInvoice.findFirst({ where: { id: invoiceId, userId } });
  if (invoice === null) return null;
  return UsdcInvoiceResponse.parse({
    id: invoice.id,
    plan: invoice.plan,
    interval: invoice.interval,
    status: invoice.status,
    network: invoice.network,
    usdcContract: usdcNetworks[invoice.network as UsdcNetwork]?.usdcContract ?? "",
    depositAddress: invoice.depositAddress,
    amountDue: invoice.amountDue.toString(),
    amountReceived: invoice.amountReceived.toString(),
    expiresAt: invoice.expiresAt.toISOString(),
    paidAt: invoice.paidAt?.toISOString() ?? null,
    periodStart: invoice.periodStart?.toISOString() ?? null,
    periodEnd: invoice.periodEnd?.toISOString() ?? null,
  });
}
