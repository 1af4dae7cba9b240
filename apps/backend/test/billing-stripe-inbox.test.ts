import { billingConfigFromEnv, createStripeClient, receiveStripeWebhook, startCheckout } from "@agentbot/billing";
import { startStripeStandIn } from "@agentbot/billing/testing";
import type { StripeStandIn } from "@agentbot/billing/testing";
import { createOutboxProvider } from "@agentbot/email";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBillingSubsystem } from "../src/billing/billing-subsystem.ts";
import { createLogger } from "../src/logger.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

// The Stripe webhook's second half in the backend: the web app's route only records a verified event and notifies;
// the billing worker, woken by that notification (its timed poll is set to an hour here, so only the notification
// can wake it), applies it with its own Stripe SDK against the Stripe stand-in.

const secretKey = "sk_test_agentbot_backend_inbox_0123";
const webhookSecret = "whsec_agentbot_backend_inbox_0123456789";
// Price variables are computed per plan (stripePriceVariables), so they are not literal keys of BillingEnv.
const soldPrices: Record<string, string> = { STRIPE_PRICE_SOLO_MONTHLY: "price_solo_month" };
let backend: AgentsBackend;
let standIn: StripeStandIn;
let billing: ReturnType<typeof createBillingSubsystem>;

beforeAll(async () => {
  backend = await startAgentsBackend();
  standIn = await startStripeStandIn({
    secretKey,
    webhookSecret,
    prices: [{ id: "price_solo_month", unitAmount: 1900, currency: "usd", interval: "month" }],
  });
  billing = createBillingSubsystem({
    db: backend.db,
    logger: createLogger({ level: "silent" }),
    agents: backend.services,
    email: createOutboxProvider({ db: backend.db, from: "Agentbot <billing@agentbot.test>" }),
    config: billingConfigFromEnv({
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: standIn.url,
      ...soldPrices,
    }),
    webUrl: "http://127.0.0.1:3000",
    databaseUrl: backend.databaseUrl,
    sweepIntervalMs: 3_600_000,
    pollIntervalMs: 3_600_000,
  });
  await billing.worker.start();
});
afterAll(async () => {
  await billing?.worker.stop();
  await standIn?.close();
  await backend?.close();
});

describe("billing worker and the Stripe webhook inbox", () => {
  it("applies the events the webhook accepted as soon as it is notified, and sends the receipt", async () => {
    const userId = await backend.createUser({ plan: null, subscriptionStatus: "none" });
    const user = await backend.db.user.findUniqueOrThrow({ where: { id: userId } });
    // The web app's side: its own SDK client, as the route has it.
    const webStripe = createStripeClient({ secretKey, apiBase: new URL(standIn.url) });
    const checkout = await startCheckout(
      { db: backend.db, stripe: webStripe, catalog: billing.services.config.catalog },
      {
        user: { id: userId, email: user.email, name: user.name },
        plan: "solo",
        interval: "month",
        successUrl: "http://127.0.0.1:3000/settings/billing?checkout=success",
        cancelUrl: "http://127.0.0.1:3000/settings/billing?checkout=canceled",
        trialDays: 0,
      },
    );
    const from = standIn.events.length;
    await standIn.completeCheckout(checkout.sessionId);
    const events = standIn.events.slice(from);
    for (const event of events) {
      const { body, signature } = standIn.signed(event);
      const answer = await receiveStripeWebhook(
        { db: backend.db, stripe: webStripe, webhookSecret },
        { rawBody: body, signature },
      );
      expect(answer).toMatchObject({ status: 200, outcome: "accepted" });
    }

    await expect
      .poll(async () => {
        const row = await backend.db.user.findUniqueOrThrow({ where: { id: userId } });
        return { plan: row.plan, status: row.subscriptionStatus };
      })
      .toEqual({ plan: "solo", status: "active" });
    await expect
      .poll(() =>
        backend.db.billingWebhookEvent.count({
          where: { provider: "stripe", eventId: { in: events.map((event) => event.id) }, processedAt: null },
        }),
      )
      .toBe(0);
    // What applying them queued (the receipt) the same worker sends.
    await expect
      .poll(async () => {
        const mails = await backend.db.emailMessage.findMany({ where: { to: user.email } });
        return mails.map((mail) => mail.template);
      })
      .toContain("billing_receipt");
  });
});
