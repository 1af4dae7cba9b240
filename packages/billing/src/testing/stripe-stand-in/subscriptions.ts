import type Stripe from "stripe";
import { planObject } from "./catalog.ts";
import { stripeId } from "./ids.ts";

/** Statuses in which a subscription still exists for the customer (what the portal can act on). */
export const LIVE_STATUSES: readonly string[] = ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"];

export interface SubscriptionInput {
  readonly customer: string;
  readonly items: readonly { readonly price: Stripe.Price; readonly quantity: number }[];
  readonly metadata: Record<string, string>;
  readonly description: string | null;
  readonly created: number;
  /** Null without a trial. */
  readonly trialEnd: number | null;
  readonly periodEnd: number;
  readonly defaultPaymentMethod: string;
}

/**
 * A subscription as Stripe creates it from Checkout, in this API version's shape: the billing period lives on each
 * item (`items.data[].current_period_start/end`), not on the subscription; during a trial the period is the trial.
 */
export function subscriptionObject(input: SubscriptionInput): Stripe.Subscription {
  const id = stripeId("sub");
  const first = input.items[0];
  if (!first) throw new Error("Stripe stand-in: a subscription needs at least one item");
  return {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: input.trialEnd ?? input.created,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: { proration_discounts: "included" }, type: "flexible", updated_at: input.created },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: input.created,
    currency: first.price.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: {
      object: "list",
      data: input.items.map((item) => ({
        id: stripeId("si"),
        object: "subscription_item",
        billing_thresholds: null,
        created: input.created,
        current_period_end: input.periodEnd,
        current_period_start: input.created,
        current_trial: null,
        discounts: [],
        metadata: {},
        plan: planObject(item.price),
        price: item.price,
        quantity: item.quantity,
        subscription: id,
        tax_rates: [],
      })),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: input.created,
    status: input.trialEnd === null ? "active" : "trialing",
    test_clock: null,
    transfer_data: null,
    trial_end: input.trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: input.trialEnd === null ? null : input.created,
  };
}

/** The subscription's current period, read from its items (they share one in our subscriptions). */
export function currentPeriod(subscription: Stripe.Subscription): { start: number; end: number } {
  const item = subscription.items.data[0];
  if (!item) throw new Error(`Stripe stand-in: subscription ${subscription.id} has no items`);
  return { start: item.current_period_start, end: item.current_period_end };
}

export function setPeriod(subscription: Stripe.Subscription, start: number, end: number): void {
  for (const item of subscription.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
}

export function customerIdOf(subscription: Stripe.Subscription): string {
  return typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
}
