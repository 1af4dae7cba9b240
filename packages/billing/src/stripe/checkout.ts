import { randomUUID } from "node:crypto";
import type { Db } from "@agentbot/db";
import { getPlan } from "@agentbot/plans";
import type { BillingInterval, PlanId } from "@agentbot/plans";
import type Stripe from "stripe";
import { BillingError } from "../errors.ts";
import type { BillingCatalog } from "../rules/catalog.ts";
import { isEntitled, statusOfStripe } from "../rules/entitlement.ts";
import { ensureStripeCustomer } from "./customer.ts";

export interface StartCheckoutInput {
  readonly user: { readonly id: string; readonly email: string; readonly name: string };
  readonly plan: PlanId;
  readonly interval: BillingInterval;
  /** Where Stripe sends the person after paying; `{CHECKOUT_SESSION_ID}` is filled in by Stripe. */
  readonly successUrl: string;
  readonly cancelUrl: string;
  /** Days of trial for a first subscription (0: none). A customer who ever had a subscription gets no trial. */
  readonly trialDays: number;
}

/**
 * A Stripe Checkout Session (subscription mode) for a plan: the user's one customer, the plan's configured price, a
 * trial for a first subscription, promotion codes allowed, and the user's id as `client_reference_id` and in the
 * metadata of both the session and the subscription (how webhooks find the user). Answers the hosted page's URL.
 */
export async function startCheckout(
  deps: { readonly db: Db; readonly stripe: Stripe; readonly catalog: BillingCatalog },
  input: StartCheckoutInput,
): Promise<{ readonly url: string; readonly sessionId: string; readonly trialDays: number }> {
  const { db, stripe, catalog } = deps;
  const priceId = catalog.stripePriceId(input.plan, input.interval);
  if (priceId === null) {
    throw new BillingError(
      "plan_unavailable",
      `card payment for ${getPlan(input.plan).name} (${input.interval}ly) is not configured on this installation`,
    );
  }
  const subscriptions = await db.stripeSubscription.findMany({ where: { userId: input.user.id } });
  if (subscriptions.some((subscription) => isEntitled(statusOfStripe(subscription.status)))) {
    throw new BillingError(
      "already_subscribed",
      "you already have a card subscription: change its plan or cancel it in the billing portal",
    );
  }
  const trialDays = subscriptions.length === 0 ? input.trialDays : 0;
  const customer = await ensureStripeCustomer(db, stripe, input.user);
  const metadata = { userId: input.user.id, plan: input.plan, interval: input.interval };
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      client_reference_id: input.user.id,
      line_items: [{ price: priceId, quantity: 1 }],
      allow_promotion_codes: true,
      metadata,
      subscription_data: { metadata, ...(trialDays > 0 ? { trial_period_days: trialDays } : {}) },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
    },
    // One key per attempt: the SDK's own retries of this request reuse it, a new click makes a new session.
    { idempotencyKey: `agentbot-checkout-${randomUUID()}` },
  );
  if (session.url === null) throw new BillingError("invalid_state", "Stripe answered a checkout session without a URL");
  return { url: session.url, sessionId: session.id, trialDays };
}
