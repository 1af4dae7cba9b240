import type { Tx } from "@agentbot/db";
import { getPlan } from "@agentbot/plans";
import type Stripe from "stripe";
import type { BillingCatalog } from "../rules/catalog.ts";
import { formatUsdCents } from "../rules/money.ts";
import { recordBillingEvent } from "../store/billing-events.ts";
import { enqueueBillingTask } from "../store/billing-tasks.ts";
import { refreshEntitlement } from "../store/refresh-entitlement.ts";
import { subscriptionRow } from "./subscription-row.ts";

/**
 * What a verified Stripe event changes, inside the caller's transaction (stripe-inbox.ts claims the event in the
 * same one). Order does not matter: for anything about a subscription, the subscription is re-read from Stripe's
 * API inside a per-subscription advisory lock and that state is stored, never a field of the event. Two events for
 * one subscription are serialised and the later one reads the later state, so the stored state is Stripe's last.
 * Slow work (emails; suspending or resuming agents) is queued in the same transaction (BillingTask).
 * Not covered: events about objects this installation did not create (another app's customers) are "ignored"; a
 * subscription whose price is not configured here is not stored.
 */

export interface StripeEventDeps {
  readonly stripe: Stripe;
  readonly catalog: BillingCatalog;
}

export type StripeEventOutcome = "processed" | "ignored";

/** The subscription an event is about, if any (by id; the object itself is not trusted for its state). */
function subscriptionIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  if (event.type.startsWith("customer.subscription.")) return typeof object["id"] === "string" ? object["id"] : null;
  if (event.type === "checkout.session.completed") {
    const subscription = object["subscription"];
    if (typeof subscription === "string") return subscription;
    return subscription !== null && typeof subscription === "object" && "id" in subscription
      ? String(subscription.id)
      : null;
  }
  if (event.type.startsWith("invoice.")) {
    const invoice = event.data.object as Stripe.Invoice;
    const subscription = invoice.parent?.subscription_details?.subscription;
    if (typeof subscription === "string") return subscription;
    return subscription?.id ?? null;
  }
  return null;
}

async function userOfSubscription(tx: Tx, subscription: Stripe.Subscription): Promise<string | null> {
  const fromMetadata = subscription.metadata["userId"];
  if (fromMetadata !== undefined && (await tx.user.findUnique({ where: { id: fromMetadata }, select: { id: true } }))) {
    return fromMetadata;
  }
  const customer = typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
  const account = await tx.billingAccount.findUnique({ where: { stripeCustomerId: customer } });
  return account?.userId ?? null;
}

export async function applyStripeEvent(
  tx: Tx,
  deps: StripeEventDeps,
  event: Stripe.Event,
  now: Date,
): Promise<StripeEventOutcome> {
  const subscriptionId = subscriptionIdOf(event);
  if (subscriptionId === null) return "ignored";
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`stripe-subscription:${subscriptionId}`}))`;
  const subscription = await deps.stripe.subscriptions.retrieve(subscriptionId);
  const userId = await userOfSubscription(tx, subscription);
  const row = subscriptionRow(subscription, deps.catalog);
  if (userId === null || row === null) return "ignored";

  await tx.billingAccount.upsert({
    where: { userId },
    create: { userId, stripeCustomerId: row.customerId },
    update: {},
  });
  const { id, ...state } = row;
  await tx.stripeSubscription.upsert({ where: { id }, create: { id, userId, ...state }, update: state });
  await refreshEntitlement(tx, userId, now, { reason: `Stripe ${event.type}` });
  await applyEventSideEffects(tx, event, userId, subscription, deps.catalog);
  return "processed";
}

/** What an event means beyond the subscription's state: log lines and emails (each email once per invoice). */
function planNameOf(subscription: Stripe.Subscription, catalog: BillingCatalog): string {
  const price = subscription.items.data[0]?.price.id;
  const sold = price === undefined ? null : catalog.planOfStripePrice(price);
  return sold === null ? "your plan" : getPlan(sold.plan).name;
}

async function applyEventSideEffects(
  tx: Tx,
  event: Stripe.Event,
  userId: string,
  subscription: Stripe.Subscription,
  catalog: BillingCatalog,
) {
  switch (event.type) {
    case "checkout.session.completed":
      await recordBillingEvent(tx, {
        userId,
        type: "checkout.completed",
        message: "Card checkout completed",
        data: { subscription: subscription.id },
      });
      return;
    case "customer.subscription.trial_will_end": {
      const trialEnd = subscription.trial_end === null ? null : new Date(subscription.trial_end * 1000).toISOString();
      if (trialEnd === null) return;
      await enqueueBillingTask(tx, {
        kind: "email",
        userId,
        payload: { template: "billing_trial_ending", trialEnd, planName: planNameOf(subscription, catalog) },
        dedupeKey: `trial-ending:${subscription.id}:${trialEnd}`,
      });
      return;
    }
    case "invoice.paid": {
      const invoice = event.data.object;
      await recordBillingEvent(tx, {
        userId,
        type: "payment.succeeded",
        message: `Card payment of ${formatUsdCents(invoice.amount_paid)} received (invoice ${invoice.number ?? invoice.id})`,
        data: { invoice: invoice.id, amountPaid: invoice.amount_paid, currency: invoice.currency },
      });
      if (invoice.amount_paid > 0) {
        await enqueueBillingTask(tx, {
          kind: "email",
          userId,
          payload: {
            template: "billing_receipt",
            method: "card",
            reference: invoice.number ?? invoice.id ?? event.id,
            amount: formatUsdCents(invoice.amount_paid),
            planName: planNameOf(subscription, catalog),
            periodEnd: subscription.items.data[0]?.current_period_end
              ? new Date(subscription.items.data[0].current_period_end * 1000).toISOString()
              : null,
          },
          dedupeKey: `receipt:${invoice.id ?? event.id}`,
        });
      }
      return;
    }
    case "invoice.payment_failed":
    case "invoice.payment_action_required": {
      const invoice = event.data.object;
      const actionRequired = event.type === "invoice.payment_action_required";
      await recordBillingEvent(tx, {
        userId,
        type: actionRequired ? "payment.action_required" : "payment.failed",
        message: actionRequired
          ? `Your bank asks you to confirm a payment of ${formatUsdCents(invoice.amount_due)}`
          : `Card payment of ${formatUsdCents(invoice.amount_due)} failed`,
        data: { invoice: invoice.id, amountDue: invoice.amount_due },
      });
      await enqueueBillingTask(tx, {
        kind: "email",
        userId,
        payload: {
          template: "billing_payment_failed",
          reference: invoice.number ?? invoice.id ?? event.id,
          amount: formatUsdCents(invoice.amount_due),
          actionRequired,
        },
        dedupeKey: `${actionRequired ? "action-required" : "payment-failed"}:${invoice.id ?? event.id}`,
      });
      return;
    }
    default:
      return;
  }
}
