import fc from "fast-check";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusOfStripe } from "../src/rules/entitlement.ts";
import { receiveStripeWebhook } from "../src/stripe/receive-stripe-webhook.ts";
import { StripeStandInControlError } from "../src/testing/index.ts";
import { startStripeFixture } from "./support/stripe-fixture.ts";
import type { StripeFixture } from "./support/stripe-fixture.ts";

let fixture: StripeFixture;
beforeAll(async () => {
  fixture = await startStripeFixture();
});
afterAll(async () => {
  await fixture?.close();
});

async function userState(userId: string) {
  const user = await fixture.db.user.findUniqueOrThrow({ where: { id: userId } });
  return { plan: user.plan, status: user.subscriptionStatus };
}

/** What Stripe says now, in our terms: the plan its price sells and its status as ours. */
function stripesWord(subscriptionId: string) {
  const subscription = fixture.standIn.subscription(subscriptionId);
  const priceId = subscription.items.data[0]!.price.id;
  return { plan: fixture.catalog.planOfStripePrice(priceId)!.plan, status: statusOfStripe(subscription.status) };
}

async function counts(userId: string) {
  const [events, tasks, webhooks] = await Promise.all([
    fixture.db.billingEvent.count({ where: { userId } }),
    fixture.db.billingTask.count({ where: { userId } }),
    fixture.db.billingWebhookEvent.count({ where: { provider: "stripe" } }),
  ]);
  return { events, tasks, webhooks };
}

describe("Stripe webhook", () => {
  it("a checkout's events make the plan a trial, with one customer per user and idempotency keys on our calls", async () => {
    const { user, subscription, events } = await fixture.subscribe({ plan: "collective", trialDays: 7 });
    expect(events.map((event) => event.type)).toContain("checkout.session.completed");
    for (const event of events) {
      const result = await fixture.deliver(event);
      expect(result.status).toBe(200);
    }
    expect(await userState(user.id)).toEqual({ plan: "collective", status: "trialing" });
    const stored = await fixture.db.stripeSubscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(stored).toMatchObject({ userId: user.id, status: "trialing", plan: "collective", interval: "month" });
    expect(stored.trialEnd?.getTime()).toBe(subscription.trial_end! * 1000);
    const account = await fixture.db.billingAccount.findUniqueOrThrow({ where: { userId: user.id } });
    expect(account.stripeCustomerId).toBe(subscription.customer);
    const log = await fixture.db.billingEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(log.map((entry) => entry.type)).toEqual(expect.arrayContaining(["checkout.completed", "status.changed"]));

    // The checkout session was created with the trial, promotion codes and the user tied to it.
    const session = await fixture.stripe.checkout.sessions.retrieve(
      events.find((e) => e.type === "checkout.session.completed")!.data.object.id,
    );
    expect(session).toMatchObject({
      client_reference_id: user.id,
      allow_promotion_codes: true,
      metadata: { userId: user.id },
    });
    // Every POST we sent carried one of our own idempotency keys (the SDK adds its own only when we give none).
    const posts = fixture.standIn.requests.filter((request) => request.method === "POST");
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const post of posts) expect(post.idempotencyKey).toMatch(/^agentbot-/);
  });

  it("refuses a tampered body, a tampered signature, a stale or missing signature with 400 and no effect", async () => {
    const { user, events } = await fixture.subscribe();
    const event = events.find((candidate) => candidate.type === "customer.subscription.created")!;
    const before = await counts(user.id);
    const { body, signature } = fixture.standIn.signed(event);

    const tamperedBody = body.replace('"trialing"', '"active"');
    expect(tamperedBody).not.toBe(body);
    const flipped = signature.replace(/v1=([0-9a-f])/, (_match, digit: string) => `v1=${digit === "0" ? "1" : "0"}`);
    const stale = fixture.standIn.signed(event, Math.floor(Date.now() / 1000) - 301);
    const attempts = [
      { rawBody: tamperedBody, signature },
      { rawBody: body, signature: flipped },
      { rawBody: stale.body, signature: stale.signature },
      { rawBody: body, signature: null },
      { rawBody: body, signature: "t=1,v1=deadbeef" },
    ];
    for (const attempt of attempts) {
      const result = await receiveStripeWebhook(fixture.deps, attempt);
      expect(result).toMatchObject({ status: 400, error: "invalid_signature" });
    }
    expect(await counts(user.id)).toEqual(before);
    expect(await userState(user.id)).toEqual({ plan: null, status: "none" });
    // The same event, signed properly, is accepted: the refusals were about the signature alone.
    expect(await fixture.deliver(event)).toMatchObject({ status: 200, outcome: "processed" });
  });

  it("answers a replay 200 and changes nothing, also when both copies arrive at once", async () => {
    const { user, events } = await fixture.subscribe();
    for (const event of events) await fixture.deliver(event);
    const before = await counts(user.id);
    for (const event of events) {
      expect(await fixture.deliver(event)).toMatchObject({ status: 200, outcome: "duplicate", eventId: event.id });
    }
    expect(await counts(user.id)).toEqual(before);
  });

  it("processes two concurrent deliveries of one event exactly once", async () => {
    const { user, subscription, events } = await fixture.subscribe({ trialDays: 0 });
    for (const event of events) await fixture.deliver(event);
    const failing = await fixture.standIn.failPayment(subscription.id);
    const paymentFailed = failing.find((event) => event.type === "invoice.payment_failed")!;
    const results = await Promise.all([fixture.deliver(paymentFailed), fixture.deliver(paymentFailed)]);
    expect(results.map((result) => (result.status === 200 ? result.outcome : "refused")).sort()).toEqual([
      "duplicate",
      "processed",
    ]);
    const emails = await fixture.db.billingTask.findMany({ where: { userId: user.id, kind: "email" } });
    expect(
      emails.filter((task) => (task.payload as { template?: string }).template === "billing_payment_failed"),
    ).toHaveLength(1);
  });

  it("payment failed: past due with the grace period started, a payment-failed email, then active again on payment", async () => {
    const { user, subscription, events } = await fixture.subscribe({ trialDays: 0 });
    for (const event of events) await fixture.deliver(event);
    expect(await userState(user.id)).toEqual({ plan: "collective", status: "active" });
    const receipts = await fixture.db.billingTask.findMany({ where: { userId: user.id, kind: "email" } });
    expect(receipts.map((task) => (task.payload as { template: string }).template)).toContain("billing_receipt");

    for (const event of await fixture.standIn.failPayment(subscription.id)) await fixture.deliver(event);
    expect(await userState(user.id)).toEqual({ plan: "collective", status: "past_due" });
    const account = await fixture.db.billingAccount.findUniqueOrThrow({ where: { userId: user.id } });
    expect(account.pastDueSince).not.toBeNull();

    for (const event of await fixture.standIn.payOpenInvoice(subscription.id)) await fixture.deliver(event);
    expect(await userState(user.id)).toEqual({ plan: "collective", status: "active" });
    expect((await fixture.db.billingAccount.findUniqueOrThrow({ where: { userId: user.id } })).pastDueSince).toBeNull();
    // Each change queued an enforcement pass for the backend (suspension is decided there, from these states).
    expect(await fixture.db.billingTask.count({ where: { userId: user.id, kind: "enforce" } })).toBeGreaterThanOrEqual(
      3,
    );
  });

  it("trial_will_end queues the trial-ending email once; a plan change in the portal changes the plan", async () => {
    const { user, subscription, events } = await fixture.subscribe({ trialDays: 7 });
    for (const event of events) await fixture.deliver(event);
    const warning = await fixture.standIn.trialWillEnd(subscription.id);
    for (const event of [...warning, ...warning]) await fixture.deliver(event);
    const trialEmails = (await fixture.db.billingTask.findMany({ where: { userId: user.id, kind: "email" } })).filter(
      (task) => (task.payload as { template: string }).template === "billing_trial_ending",
    );
    expect(trialEmails).toHaveLength(1);

    for (const event of await fixture.standIn.changePrice(subscription.id, "price_label_month")) {
      await fixture.deliver(event);
    }
    expect(await userState(user.id)).toEqual({ plan: "label", status: "trialing" });
  });

  it("ignores a subscription it does not know how to sell (a price not configured here), recording the event", async () => {
    const event = {
      id: "evt_not_ours_1",
      object: "event",
      api_version: "2026-11-18.endive",
      created: Math.floor(Date.now() / 1000),
      type: "customer.created",
      data: { object: { id: "cus_someone_else", object: "customer" } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    } as unknown as Stripe.Event;
    expect(await fixture.deliver(event)).toMatchObject({ status: 200, outcome: "ignored" });
    expect(await fixture.deliver(event)).toMatchObject({ status: 200, outcome: "duplicate" });
  });
});

type Step =
  | "endTrial"
  | "renew"
  | "failPayment"
  | "failFinal"
  | "payOpenInvoice"
  | "requireAction"
  | "cancelAtPeriodEnd"
  | "cancel"
  | "pause"
  | "resume"
  | "upgrade";

async function apply(step: Step, subscriptionId: string): Promise<void> {
  const { standIn } = fixture;
  const run: Record<Step, () => Promise<unknown>> = {
    endTrial: () => standIn.endTrial(subscriptionId),
    renew: () => standIn.renew(subscriptionId),
    failPayment: () => standIn.failPayment(subscriptionId),
    failFinal: () => standIn.failPayment(subscriptionId, { final: true }),
    payOpenInvoice: () => standIn.payOpenInvoice(subscriptionId),
    requireAction: () => standIn.requireAction(subscriptionId),
    cancelAtPeriodEnd: () => standIn.cancel(subscriptionId, { atPeriodEnd: true }),
    cancel: () => standIn.cancel(subscriptionId),
    pause: () => standIn.pause(subscriptionId),
    resume: () => standIn.resume(subscriptionId),
    upgrade: () => standIn.changePrice(subscriptionId, "price_label_month"),
  };
  // A step Stripe would not allow in the current state (renewing a canceled subscription) is refused by the
  // stand-in; the sequence simply goes on, as it would in Stripe.
  await run[step]().catch((error: unknown) => {
    if (!(error instanceof StripeStandInControlError)) throw error;
  });
}

describe("Stripe webhook, events in any order (property)", () => {
  const steps: Step[] = [
    "endTrial",
    "renew",
    "failPayment",
    "failFinal",
    "payOpenInvoice",
    "requireAction",
    "cancelAtPeriodEnd",
    "cancel",
    "pause",
    "resume",
    "upgrade",
  ];

  it("whatever the order and however often events come, the plan and status equal Stripe's last state", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.constantFrom(...steps), { minLength: 1, maxLength: 6 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (trial, sequence, sortKeys, duplicates) => {
          const { user, subscription, events: checkoutEvents } = await fixture.subscribe({ trialDays: trial ? 7 : 0 });
          const from = fixture.standIn.events.length;
          for (const step of sequence) await apply(step, subscription.id);
          const events = [...checkoutEvents, ...fixture.standIn.events.slice(from)];
          // A shuffled order (each event keyed by a random number), and some events delivered twice.
          const keys = events.map(() => sortKeys.next().value as number);
          const order = events.map((event, index) => ({ event, key: keys[index]! })).sort((a, b) => a.key - b.key);
          const deliveries = [
            ...order.map((entry) => entry.event),
            ...duplicates.map((n) => events[n % events.length]!),
          ];
          for (const event of deliveries) {
            const result = await fixture.deliver(event);
            expect(result.status).toBe(200);
          }
          expect(await userState(user.id)).toEqual(stripesWord(subscription.id));
          const stored = await fixture.db.stripeSubscription.findUniqueOrThrow({ where: { id: subscription.id } });
          expect(stored.status).toBe(fixture.standIn.subscription(subscription.id).status);
        },
      ),
      { numRuns: 25 },
    );
  });
});
