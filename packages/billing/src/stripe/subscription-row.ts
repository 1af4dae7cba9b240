import type Stripe from "stripe";
import type { BillingCatalog } from "../rules/catalog.ts";

/** What we store of a Stripe subscription (StripeSubscription), from Stripe's own object. */
export interface StripeSubscriptionRow {
  readonly id: string;
  readonly customerId: string;
  readonly status: string;
  readonly plan: string;
  readonly interval: string;
  readonly priceId: string;
  readonly currentPeriodStart: Date | null;
  readonly currentPeriodEnd: Date | null;
  readonly trialEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly canceledAt: Date | null;
}

const fromUnix = (seconds: number | null | undefined): Date | null =>
  seconds === null || seconds === undefined ? null : new Date(seconds * 1000);

/**
 * The row for `subscription`, or null when it sells no price this installation knows (then it entitles nothing and
 * is left alone). Since API version 2025-03-31, periods are per subscription item; our subscriptions have one item.
 */
export function subscriptionRow(
  subscription: Stripe.Subscription,
  catalog: BillingCatalog,
): StripeSubscriptionRow | null {
  const item = subscription.items.data[0];
  const priceId = item?.price.id;
  const sold = priceId === undefined ? null : catalog.planOfStripePrice(priceId);
  if (item === undefined || priceId === undefined || sold === null) return null;
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    plan: sold.plan,
    interval: sold.interval,
    priceId,
    currentPeriodStart: fromUnix(item.current_period_start),
    currentPeriodEnd: fromUnix(item.current_period_end),
    trialEnd: fromUnix(subscription.trial_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    canceledAt: fromUnix(subscription.canceled_at),
  };
}
