import { billingIntervals, getPlan, planIds } from "@agentbot/plans";
import type { BillingInterval, PlanId } from "@agentbot/plans";
import { usdcForCents } from "./money.ts";

/**
 * What each plan costs and how it is bought, built from the plans table and configuration: the Stripe price id for
 * each plan and interval (configured per installation: prices live in the Stripe account), the USDC amount of a
 * period (the plan's list price in USDC). The one place that maps a Stripe price back to a plan.
 */
export interface BillingCatalog {
  /** The configured Stripe price for a plan and interval, or null when card payment for it is not configured. */
  stripePriceId(plan: PlanId, interval: BillingInterval): string | null;
  /** Which plan and interval a Stripe price sells, or null for a price this installation does not know. */
  planOfStripePrice(priceId: string): { readonly plan: PlanId; readonly interval: BillingInterval } | null;
  /** Whether card payment is offered for this plan and interval. */
  cardAvailable(plan: PlanId, interval: BillingInterval): boolean;
  /** USDC base units for one period of the plan. */
  usdcAmount(plan: PlanId, interval: BillingInterval): bigint;
}

export type StripePriceIds = Partial<Record<`${PlanId}:${BillingInterval}`, string>>;

export function createBillingCatalog(stripePrices: StripePriceIds): BillingCatalog {
  const byPrice = new Map<string, { plan: PlanId; interval: BillingInterval }>();
  for (const plan of planIds) {
    for (const interval of billingIntervals) {
      const priceId = stripePrices[`${plan}:${interval}`];
      if (priceId === undefined) continue;
      const taken = byPrice.get(priceId);
      if (taken !== undefined) {
        throw new Error(
          `Stripe price ${priceId} is configured for both ${taken.plan}/${taken.interval} and ${plan}/${interval}`,
        );
      }
      byPrice.set(priceId, { plan, interval });
    }
  }
  return {
    stripePriceId: (plan, interval) => stripePrices[`${plan}:${interval}`] ?? null,
    planOfStripePrice: (priceId) => byPrice.get(priceId) ?? null,
    cardAvailable: (plan, interval) => stripePrices[`${plan}:${interval}`] !== undefined,
    usdcAmount: (plan, interval) => usdcForCents(getPlan(plan).priceUsdCents[interval]),
  };
}
