import { isEntitled } from "@agentbot/billing";
import type { DbOrTx } from "@agentbot/db";
import { newId } from "@agentbot/db";
import { getPlan, PlanId } from "@agentbot/plans";
import type { Plan } from "@agentbot/plans";
/** The plan an admin without a subscription deploys on (the gate bypass): the largest one. */
const ADMIN_BYPASS_PLAN: PlanId = "network";

export type SubscriptionDecision =
  | { readonly allowed: true; readonly plan: Plan; readonly bypassed: boolean }
  | { readonly allowed: false; readonly reason: "no_user" | "no_subscription" | "disabled"; readonly message: string };

interface GateUser {
  readonly id: string;
  readonly role: string;
  readonly banned: boolean;
  readonly plan: string | null;
  readonly subscriptionStatus: string;
}

/**
 * THE subscription check: every create path calls this. The user's plan and status in force decide (stored by
 * @agentbot/billing from Stripe, USDC payments and admin grants; `isEntitled` is billing's rule); admins bypass it,
 * and each bypass is audited.
 */
export async function checkSubscription(db: DbOrTx, userId: string): Promise<SubscriptionDecision> {
  const user: GateUser | null = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, role: true, banned: true, plan: true, subscriptionStatus: true },
  });
  if (!user) return { allowed: false, reason: "no_user", message: "unknown user" };
  if (user.banned) return { allowed: false, reason: "disabled", message: "this account is disabled" };
  const plan = PlanId.safeParse(user.plan);
  if (plan.success && isEntitled(user.subscriptionStatus)) {
    return { allowed: true, plan: getPlan(plan.data), bypassed: false };
  }
  if (user.role === "admin") {
    await db.auditEvent.create({
      data: {
        id: newId("auditEvent"),
        action: "subscription_gate.bypassed",
        actorUserId: user.id,
        subjectUserId: user.id,
        targetType: "agent",
        metadata: { plan: plan.success ? plan.data : ADMIN_BYPASS_PLAN, subscriptionStatus: user.subscriptionStatus },
      },
    });
    return { allowed: true, plan: getPlan(plan.success ? plan.data : ADMIN_BYPASS_PLAN), bypassed: true };
  }
  return {
    allowed: false,
    reason: "no_subscription",
    message: notEntitledMessage(user.subscriptionStatus, "deploying agents"),
  };
}

/** Why a user without an entitling status cannot do `what`, in words that say what to do. */
export function notEntitledMessage(status: string, what: string): string {
  switch (status) {
    case "past_due":
      return `your payment is past due: update your payment method (Settings → Billing) before ${what}`;
    case "unpaid":
    case "incomplete":
      return `your last payment did not go through: pay it in Settings → Billing before ${what}`;
    case "paused":
      return `your subscription is paused: resume it in Settings → Billing before ${what}`;
    case "canceled":
    case "expired":
      return `your subscription has ended: choose a plan in Settings → Billing before ${what}`;
    default:
      return `${what} needs an active subscription: choose a plan first (Settings → Billing)`;
  }
}
