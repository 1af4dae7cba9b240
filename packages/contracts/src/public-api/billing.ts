import { PlanId } from "@agentbot/plans";
import { z } from "zod";

/** The same statuses as the billing rules' `effectiveStatuses` (packages/billing); `trialing` and `active` run agents. */
export const SubscriptionStatus = z
  .enum(["none", "trialing", "active", "past_due", "unpaid", "canceled", "paused", "incomplete", "expired"])
  .meta({ id: "SubscriptionStatus" });
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

const isoTimestamp = z.iso.datetime();

/** `GET /api/v1/billing/subscription` (scope `billing:read`): the caller's plan and where their billing stands. */
export const SubscriptionResponse = z
  .object({
    plan: PlanId.nullable().meta({ description: "null before subscribing" }),
    subscriptionStatus: SubscriptionStatus,
    entitled: z.boolean().meta({ description: "true when agents may be created and run (trialing or active)" }),
    source: z
      .enum(["card", "usdc", "grant"])
      .nullable()
      .meta({ description: "how the plan in force is paid; null without one" }),
    trialEnd: isoTimestamp.nullable(),
    currentPeriodEnd: isoTimestamp.nullable(),
    cancelAtPeriodEnd: z.boolean(),
    graceEndsAt: isoTimestamp
      .nullable()
      .meta({ description: "while past_due: when agents are suspended unless the payment is made" }),
    agentsSuspendedAt: isoTimestamp
      .nullable()
      .meta({ description: "when billing suspended this account's agents; null when they are not suspended" }),
  })
  .meta({ id: "Subscription" });
export type SubscriptionResponse = z.infer<typeof SubscriptionResponse>;

/** `GET /api/v1/billing/usdc-invoices/{id}` (scope `billing:read`): one of the caller's USDC invoices. */
export const UsdcInvoiceResponse = z
  .object({
    id: z.string(),
    plan: PlanId,
    interval: z.enum(["month", "year"]),
    status: z.enum(["open", "paid", "expired", "void"]),
    network: z.string().meta({ description: "base-mainnet or base-sepolia" }),
    usdcContract: z.string(),
    depositAddress: z.string(),
    amountDue: z.string().meta({ description: "USDC base units (6 decimals) as a decimal string" }),
    amountReceived: z.string().meta({ description: "USDC base units received so far" }),
    expiresAt: isoTimestamp,
    paidAt: isoTimestamp.nullable(),
    periodStart: isoTimestamp.nullable(),
    periodEnd: isoTimestamp.nullable(),
  })
  .meta({ id: "UsdcInvoice" });
export type UsdcInvoiceResponse = z.infer<typeof UsdcInvoiceResponse>;
