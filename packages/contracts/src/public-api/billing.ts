import { PlanId } from "@agentbot/plans";
import { z } from "zod";

export const SubscriptionStatus = z
  .enum(["none", "trialing", "active", "past_due", "canceled"])
  .meta({ id: "SubscriptionStatus" });
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** `GET /api/v1/billing/subscription` (scope `billing:read`): the caller's plan and subscription status. */
export const SubscriptionResponse = z
  .object({
    plan: PlanId.nullable().meta({ description: "null before subscribing" }),
    subscriptionStatus: SubscriptionStatus,
  })
  .meta({ id: "Subscription" });
export type SubscriptionResponse = z.infer<typeof SubscriptionResponse>;
