import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../src/stripe/stripe-client.ts";
import {
  processPendingStripeEvents,
  processStripeEvent,
  STRIPE_EVENT_MAX_ATTEMPTS,
  StripeEventFailedError,
} from "../src/stripe/stripe-inbox.ts";
import { secretKey, startStripeFixture } from "./support/stripe-fixture.ts";
import type { StripeFixture } from "./support/stripe-fixture.ts";

// The webhook's two halves: the route records a verified event and answers; the backend's billing worker applies it
// (processPendingStripeEvents is what the worker runs). Real PostgreSQL, the real SDK against the Stripe stand-in.

let fixture: StripeFixture;
beforeAll(async () => {
  fixture = await startStripeFixture();
});
afterAll(async () => {
  await fixture?.close();
});

function inboxRows(eventIds: readonly string[]) {
  return fixture.db.billingWebhookEvent.findMany({
    where: { provider: "stripe", eventId: { in: [...eventIds] } },
    orderBy: { receivedAt: "asc" },
  });
}

async function planOf(userId: string) {
  const user = await fixture.db.user.findUniqueOrThrow({ where: { id: userId } });
  return { plan: user.plan, status: user.subscriptionStatus };
}

/** Stripe as seen from a machine that cannot reach it: nothing listens on port 1. */
const unreachableStripe = createStripeClient({ secretKey, apiBase: new URL("http://127.0.0.1:1") });

describe("Stripe webhook inbox", () => {
  it("answers once the event is recorded; the worker applies it afterwards and clears the payload", async () => {
    const { user, events } = await fixture.subscribe({ plan: "collective", trialDays: 7 });
    for (const event of events) {
      expect(await fixture.receive(event)).toEqual({ status: 200, outcome: "accepted", eventId: event.id });
    }
    // Accepted, not applied: the rows wait with the verified payload, and the user's plan has not changed yet.
    const pending = await inboxRows(events.map((event) => event.id));
    expect(pending).toHaveLength(events.length);
    for (const row of pending) {
      expect(row).toMatchObject({ processedAt: null, outcome: null, attempts: 0 });
      expect((row.payload as { id: string }).id).toBe(row.eventId);
    }
    expect(await planOf(user.id)).toEqual({ plan: null, status: "none" });
    // A replay before it was applied is still a duplicate: the id is claimed when it is received.
    expect(await fixture.receive(events[0]!)).toMatchObject({ status: 200, outcome: "duplicate" });

    const drained = await processPendingStripeEvents(fixture.deps);
    expect(drained.failures).toEqual([]);
    expect(drained.processed).toBeGreaterThanOrEqual(1);
    expect(await planOf(user.id)).toEqual({ plan: "collective", status: "trialing" });
    for (const row of await inboxRows(events.map((event) => event.id))) {
      expect(row.processedAt).not.toBeNull();
      expect(["processed", "ignored"]).toContain(row.outcome);
      expect(row.payload).toBeNull();
    }
    // Applied events are not applied again.
    expect(await processStripeEvent(fixture.deps, events[0]!.id)).toBe("not_pending");
  });

  it("two workers draining at once apply each event exactly once", async () => {
    const { user, subscription, events } = await fixture.subscribe({ trialDays: 0 });
    for (const event of events) await fixture.receive(event);
    const failed = await fixture.standIn.failPayment(subscription.id);
    for (const event of failed) await fixture.receive(event);

    const [first, second] = await Promise.all([
      processPendingStripeEvents(fixture.deps, { concurrency: 3 }),
      processPendingStripeEvents(fixture.deps, { concurrency: 3 }),
    ]);
    expect([...first.failures, ...second.failures]).toEqual([]);
    expect(await planOf(user.id)).toEqual({ plan: "collective", status: "past_due" });
    const log = await fixture.db.billingEvent.findMany({ where: { userId: user.id } });
    expect(log.filter((entry) => entry.type === "checkout.completed")).toHaveLength(1);
    expect(log.filter((entry) => entry.type === "payment.failed")).toHaveLength(1);
    const emails = await fixture.db.billingTask.findMany({ where: { userId: user.id, kind: "email" } });
    const templates = emails.map((task) => (task.payload as { template: string }).template);
    expect(templates.filter((template) => template === "billing_receipt")).toHaveLength(1);
    expect(templates.filter((template) => template === "billing_payment_failed")).toHaveLength(1);
    const rows = await inboxRows([...events, ...failed].map((event) => event.id));
    expect(rows.every((row) => row.processedAt !== null && row.attempts === 1)).toBe(true);
  });

  it("Stripe unreachable: the effect is rolled back, the failure recorded with a backoff, and applied once Stripe answers", async () => {
    const { user, events } = await fixture.subscribe({ trialDays: 7 });
    const created = events.find((event) => event.type === "customer.subscription.created")!;
    await fixture.receive(created);
    const offline = { ...fixture.deps, stripe: unreachableStripe };

    const drained = await processPendingStripeEvents(offline);
    expect(drained.failures.map((failure) => failure.eventId)).toContain(created.id);
    const [row] = await inboxRows([created.id]);
    expect(row).toMatchObject({ processedAt: null, outcome: null, attempts: 1 });
    expect(row!.lastError).toMatch(/connection to Stripe/);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect((row!.payload as { id: string }).id).toBe(created.id);
    // Nothing of the effect is left behind.
    expect(await planOf(user.id)).toEqual({ plan: null, status: "none" });
    expect(await fixture.db.billingEvent.count({ where: { userId: user.id } })).toBe(0);

    // Not due yet: a drain leaves it alone, even with Stripe back.
    await processPendingStripeEvents(fixture.deps);
    expect((await inboxRows([created.id]))[0]!.processedAt).toBeNull();
    // Its next attempt comes (moved to now, as the clock would), and Stripe answers.
    await fixture.db.billingWebhookEvent.update({
      where: { provider_eventId: { provider: "stripe", eventId: created.id } },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    const retried = await processPendingStripeEvents(fixture.deps);
    expect(retried.failures).toEqual([]);
    expect(await planOf(user.id)).toEqual({ plan: "collective", status: "trialing" });
    expect((await inboxRows([created.id]))[0]).toMatchObject({ outcome: "processed", attempts: 2, lastError: null });
  });

  it(`gives up after ${STRIPE_EVENT_MAX_ATTEMPTS} attempts, keeping the error`, async () => {
    const { events } = await fixture.subscribe({ trialDays: 7 });
    const created = events.find((event) => event.type === "customer.subscription.created")!;
    await fixture.receive(created);
    await fixture.db.billingWebhookEvent.update({
      where: { provider_eventId: { provider: "stripe", eventId: created.id } },
      data: { attempts: STRIPE_EVENT_MAX_ATTEMPTS - 1 },
    });
    const failure = await processStripeEvent({ ...fixture.deps, stripe: unreachableStripe }, created.id).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StripeEventFailedError);
    expect(failure).toMatchObject({ eventId: created.id, attempts: STRIPE_EVENT_MAX_ATTEMPTS, gaveUp: true });
    const [row] = await inboxRows([created.id]);
    expect(row).toMatchObject({ outcome: "failed", attempts: STRIPE_EVENT_MAX_ATTEMPTS });
    expect(row!.processedAt).not.toBeNull();
    expect(row!.lastError).toMatch(/connection to Stripe/);
    // Given up means no longer pending: drains skip it.
    expect(await processStripeEvent(fixture.deps, created.id)).toBe("not_pending");
  });
});
