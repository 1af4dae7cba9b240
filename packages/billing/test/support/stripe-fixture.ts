import { createTestDatabase } from "@agentbot/db/testing";
import { newId } from "@agentbot/db";
import type Stripe from "stripe";
import { createBillingCatalog } from "../../src/rules/catalog.ts";
import { startCheckout } from "../../src/stripe/checkout.ts";
import { createStripeClient } from "../../src/stripe/stripe-client.ts";
import { receiveStripeWebhook } from "../../src/stripe/receive-stripe-webhook.ts";
import { processStripeEvent } from "../../src/stripe/stripe-inbox.ts";
import type { StripeInboxDeps } from "../../src/stripe/stripe-inbox.ts";
import { startStripeStandIn } from "../../src/testing/index.ts";
import type { StripeStandIn } from "../../src/testing/index.ts";

export const secretKey = "sk_test_agentbot_standin_0123456789";
export const webhookSecret = "whsec_agentbot_test_0123456789abcdef";

/** The prices the stand-in sells, configured here as an installation configures STRIPE_PRICE_*. */
export const priceIds = {
  soloMonth: "price_solo_month",
  collectiveMonth: "price_collective_month",
  collectiveYear: "price_collective_year",
  labelMonth: "price_label_month",
} as const;

/**
 * A fresh database, the Stripe stand-in, the real SDK pointed at it, and the webhook's dependencies. Events are not
 * posted anywhere by the stand-in (no webhook URL): each test hands them to the webhook itself, signed as Stripe signs
 * them, in whatever order and as often as it wants.
 */
export async function startStripeFixture() {
  const database = await createTestDatabase({ poolSize: 6 });
  const standIn: StripeStandIn = await startStripeStandIn({
    secretKey,
    webhookSecret,
    prices: [
      { id: priceIds.soloMonth, unitAmount: 1900, currency: "usd", interval: "month" },
      { id: priceIds.collectiveMonth, unitAmount: 4900, currency: "usd", interval: "month" },
      { id: priceIds.collectiveYear, unitAmount: 49000, currency: "usd", interval: "year" },
      { id: priceIds.labelMonth, unitAmount: 14900, currency: "usd", interval: "month" },
    ],
  });
  const stripe = createStripeClient({ secretKey, apiBase: new URL(standIn.url) });
  const catalog = createBillingCatalog({
    "solo:month": priceIds.soloMonth,
    "collective:month": priceIds.collectiveMonth,
    "collective:year": priceIds.collectiveYear,
    "label:month": priceIds.labelMonth,
  });
  const deps: StripeInboxDeps & { webhookSecret: string } = { db: database.db, stripe, catalog, webhookSecret };

  async function createUser() {
    const id = newId("user");
    await database.db.user.create({
      data: { id, name: "Card customer", email: `${id}@example.test`, emailVerified: true, plan: null },
    });
    return { id, email: `${id}@example.test`, name: "Card customer" };
  }

  /** A user who went through Checkout for `plan` (trial as given); the events are returned, not delivered. */
  async function subscribe(options: { plan?: "solo" | "collective" | "label"; trialDays?: number } = {}) {
    const user = await createUser();
    const checkout = await startCheckout(
      { db: database.db, stripe, catalog },
      {
        user,
        plan: options.plan ?? "collective",
        interval: "month",
        successUrl: "http://127.0.0.1:3000/settings/billing?checkout=success",
        cancelUrl: "http://127.0.0.1:3000/settings/billing?checkout=canceled",
        trialDays: options.trialDays ?? 7,
      },
    );
    const from = standIn.events.length;
    const { subscription } = await standIn.completeCheckout(checkout.sessionId);
    return { user, subscription, checkout, events: standIn.events.slice(from) };
  }

  /** Hands one event to the webhook route's function as Stripe would deliver it (signed now, or at `timestamp`). */
  function receive(event: Stripe.Event, timestamp?: number) {
    const { body, signature } = standIn.signed(event, timestamp);
    return receiveStripeWebhook(deps, { rawBody: body, signature });
  }

  /**
   * Delivers one event and, when the webhook accepted it, applies it as the backend's billing worker does (the two
   * steps production runs in two processes, here one after the other): answers the webhook's outcome, or what
   * applying it did.
   */
  async function deliver(event: Stripe.Event, timestamp?: number) {
    const received = await receive(event, timestamp);
    if (received.status !== 200 || received.outcome === "duplicate") return received;
    const outcome = await processStripeEvent(deps, received.eventId);
    return {
      status: 200,
      eventId: received.eventId,
      outcome: outcome === "not_pending" ? "duplicate" : outcome,
    } as const;
  }

  return {
    db: database.db,
    standIn,
    stripe,
    catalog,
    deps,
    createUser,
    subscribe,
    receive,
    deliver,
    async close() {
      await standIn.close();
      await database.drop();
    },
  };
}

export type StripeFixture = Awaited<ReturnType<typeof startStripeFixture>>;
