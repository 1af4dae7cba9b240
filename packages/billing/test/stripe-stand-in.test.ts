import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../src/stripe/stripe-client.ts";
import { startStripeStandIn } from "../src/testing/index.ts";
import type { StandInPrice, StripeStandIn } from "../src/testing/index.ts";

// The stand-in against the real stripe SDK (as our code builds it) and a webhook receiver that verifies every
// delivery exactly as our webhook route does (constructEvent over the raw body, 300 s tolerance).

const SECRET_KEY = "sk_test_standin_0123456789abcdef";
const WEBHOOK_SECRET = "whsec_standin_0123456789abcdef";
const MONTHLY: StandInPrice = { id: "price_solo_monthly", unitAmount: 1900, currency: "usd", interval: "month" };
const YEARLY: StandInPrice = { id: "price_solo_yearly", unitAmount: 19_000, currency: "usd", interval: "year" };
const API_VERSION = "2026-11-18.endive";

interface Receiver {
  readonly url: string;
  /** Verified events, in arrival order. */
  readonly received: Stripe.Event[];
  /** Deliveries whose signature did not verify: the message constructEvent threw. */
  readonly rejected: string[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const verifier = new Stripe(SECRET_KEY, { telemetry: false });
  const received: Stripe.Event[] = [];
  const rejected: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      try {
        const signature = request.headers["stripe-signature"];
        received.push(verifier.webhooks.constructEvent(raw, signature ?? "", WEBHOOK_SECRET, 300));
        response.writeHead(200).end("{}");
      } catch (error) {
        rejected.push(error instanceof Error ? error.message : String(error));
        response.writeHead(400).end();
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    rejected,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sdkFor(standIn: StripeStandIn, key = SECRET_KEY): Stripe {
  const base = new URL(standIn.url);
  return new Stripe(key, {
    host: base.hostname,
    port: Number(base.port),
    protocol: "http",
    telemetry: false,
    maxNetworkRetries: 0,
  });
}

let receiver: Receiver;
let standIn: StripeStandIn;
let stripe: Stripe;

beforeAll(async () => {
  receiver = await startReceiver();
  standIn = await startStripeStandIn({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: receiver.url,
    prices: [MONTHLY, YEARLY],
  });
  stripe = sdkFor(standIn);
});

afterAll(async () => {
  await standIn?.close();
  await receiver?.close();
});

let userCount = 0;

/** A customer and an open trial Checkout Session as our startCheckout makes them. */
async function openCheckout(options: { trialDays?: number } = {}) {
  userCount += 1;
  const userId = `user_${userCount}`;
  const customer = await stripe.customers.create(
    { email: `${userId}@example.test`, name: `User ${userCount}`, metadata: { userId } },
    { idempotencyKey: `agentbot-customer-${userId}` },
  );
  const metadata = { userId, plan: "solo", interval: "month" };
  const trialDays = options.trialDays ?? 14;
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer: customer.id,
      client_reference_id: userId,
      line_items: [{ price: MONTHLY.id, quantity: 1 }],
      allow_promotion_codes: true,
      metadata,
      subscription_data: { metadata, ...(trialDays > 0 ? { trial_period_days: trialDays } : {}) },
      success_url: "http://app.test/settings/billing?checkout={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.test/settings/billing?canceled=1",
    },
    { idempotencyKey: `agentbot-checkout-${userId}` },
  );
  return { userId, customer, session, metadata };
}

/** A trialing subscription, made through the handle (what Subscribe does). */
async function trialingSubscription() {
  const { session } = await openCheckout();
  const { subscription } = await standIn.completeCheckout(session.id);
  return subscription;
}

/** The id of an expandable field (as answered without `expand`, an id). */
function idOf(field: string | { readonly id: string } | null | undefined): string {
  if (field === null || field === undefined) throw new Error("expected an id");
  return typeof field === "string" ? field : field.id;
}

function typesOf(events: readonly Stripe.Event[]): string[] {
  return events.map((event) => event.type);
}

/** The verified deliveries of these events, in arrival order. */
function receivedOf(events: readonly Stripe.Event[]): Stripe.Event[] {
  const ids = new Set(events.map((event) => event.id));
  return receiver.received.filter((event) => ids.has(event.id));
}

describe("Checkout through the hosted page", () => {
  it("subscribes with a trial, delivers the events in order and redirects to success_url", async () => {
    const before = receiver.received.length;
    const { customer, session, metadata, userId } = await openCheckout();
    expect(session.url).toBe(`${standIn.url}/checkout/${session.id}`);
    expect(session).toMatchObject({ object: "checkout.session", status: "open", mode: "subscription", metadata });
    expect(session.client_reference_id).toBe(userId);

    const page = await fetch(session.url ?? "");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("$19.00 per month");
    expect(html).toContain("14 days free");
    expect(html).toContain("Promotion codes accepted");
    expect(html).toMatch(/<button type="submit">\s*Subscribe\s*<\/button>/);
    expect(html).toContain('<a href="http://app.test/settings/billing?canceled=1">Cancel</a>');

    const subscribed = await fetch(session.url ?? "", { method: "POST", redirect: "manual" });
    expect(subscribed.status).toBe(303);
    expect(subscribed.headers.get("location")).toBe(`http://app.test/settings/billing?checkout=${session.id}`);

    // The redirect comes only after every delivery was answered, so all of them are here now.
    expect(receiver.rejected).toEqual([]);
    const arrived = receiver.received.slice(before);
    expect(typesOf(arrived)).toEqual([
      "customer.created",
      "checkout.session.completed",
      "customer.subscription.created",
      "invoice.created",
      "invoice.finalized",
      "invoice.paid",
      "invoice.payment_succeeded",
    ]);
    const completed = arrived[1];
    if (completed?.type !== "checkout.session.completed") throw new Error("expected checkout.session.completed");
    expect(completed.api_version).toBe(API_VERSION);
    expect(completed.data.object).toMatchObject({ client_reference_id: userId, customer: customer.id, metadata });
    const subscriptionId = completed.data.object.subscription;
    expect(typeof subscriptionId).toBe("string");

    const subscription = await stripe.subscriptions.retrieve(idOf(subscriptionId));
    expect(subscription.status).toBe("trialing");
    expect(subscription.metadata).toEqual(metadata);
    expect(subscription.items.data[0]?.price.id).toBe(MONTHLY.id);
    const trialEnd = subscription.trial_end ?? 0;
    expect(Math.abs(trialEnd - (Date.now() / 1000 + 14 * 86_400))).toBeLessThan(60);
    expect(subscription.items.data[0]?.current_period_end).toBe(trialEnd);

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    expect(retrieved.status).toBe("complete");
    expect(retrieved.url).toBeNull();
    expect((retrieved.subscription as Stripe.Subscription).id).toBe(subscription.id);

    const invoice = await stripe.invoices.retrieve(idOf(subscription.latest_invoice));
    expect(invoice).toMatchObject({ status: "paid", amount_due: 0, billing_reason: "subscription_create" });
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
  });

  it("refuses a second Subscribe on a completed session", async () => {
    const { session } = await openCheckout();
    await standIn.completeCheckout(session.id);
    const again = await fetch(session.url ?? "", { method: "POST", redirect: "manual" });
    expect(again.status).toBe(409);
    await expect(standIn.completeCheckout(session.id)).rejects.toThrow(/complete, not open/);
  });

  it("records every POST with the idempotency key our code sent", async () => {
    await openCheckout();
    const posts = standIn.requests.filter((request) => request.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) expect(post.idempotencyKey).toMatch(/^agentbot-/);
    expect(standIn.requests.some((request) => request.method === "GET" && request.idempotencyKey === null)).toBe(true);
  });
});

describe("lifecycle controls", () => {
  it("ends a trial: updated, then the paid renewal invoice", async () => {
    const subscription = await trialingSubscription();
    const events = await standIn.endTrial(subscription.id);
    expect(typesOf(events)).toEqual([
      "customer.subscription.updated",
      "invoice.created",
      "invoice.finalized",
      "invoice.paid",
      "invoice.payment_succeeded",
    ]);
    expect(receivedOf(events).map((event) => event.id)).toEqual(events.map((event) => event.id));
    const updated = events[0];
    if (updated?.type !== "customer.subscription.updated") throw new Error("expected an update");
    expect(updated.data.previous_attributes).toMatchObject({ status: "trialing" });
    const now = await stripe.subscriptions.retrieve(subscription.id);
    expect(now.status).toBe("active");
    expect(now.items.data[0]?.current_period_start).toBe(subscription.trial_end);
    const invoice = await stripe.invoices.retrieve(idOf(now.latest_invoice));
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 1900, billing_reason: "subscription_cycle" });
  });

  it("renews: the period moves on and its invoice is paid", async () => {
    const subscription = await trialingSubscription();
    await standIn.endTrial(subscription.id);
    const before = standIn.subscription(subscription.id).items.data[0]?.current_period_end ?? 0;
    const events = await standIn.renew(subscription.id);
    expect(typesOf(events)).toContain("invoice.paid");
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]?.current_period_start).toBe(before);
    expect(after.items.data[0]?.current_period_end ?? 0).toBeGreaterThan(before);
  });

  it("fails a payment (past_due), pays it on retry (active), then cancels (canceled)", async () => {
    const subscription = await trialingSubscription();
    await standIn.endTrial(subscription.id);

    const failed = await standIn.failPayment(subscription.id);
    expect(typesOf(failed)).toEqual([
      "invoice.created",
      "invoice.finalized",
      "invoice.payment_failed",
      "customer.subscription.updated",
    ]);
    expect(typesOf(receivedOf(failed))).toEqual(typesOf(failed));
    const pastDue = await stripe.subscriptions.retrieve(subscription.id);
    expect(pastDue.status).toBe("past_due");
    const open = await stripe.invoices.retrieve(idOf(pastDue.latest_invoice));
    expect(open).toMatchObject({ status: "open", attempt_count: 1, attempted: true });
    expect(open.next_payment_attempt).not.toBeNull();

    // A second failed retry changes nothing on the subscription, so Stripe sends no update.
    expect(typesOf(await standIn.failPayment(subscription.id))).toEqual(["invoice.payment_failed"]);

    const paid = await standIn.payOpenInvoice(subscription.id);
    expect(typesOf(paid)).toEqual(["invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
    expect((await stripe.invoices.retrieve(open.id)).status).toBe("paid");

    const canceled = await standIn.cancel(subscription.id);
    expect(typesOf(canceled)).toEqual(["customer.subscription.deleted"]);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe("canceled");
    expect(ended.ended_at).not.toBeNull();
    await expect(standIn.cancel(subscription.id)).rejects.toThrow(/it is canceled/);
  });

  it("marks a subscription unpaid when the last retry fails, and asks for action", async () => {
    const subscription = await trialingSubscription();
    const action = await standIn.requireAction(subscription.id);
    expect(typesOf(action)).toEqual([
      "invoice.created",
      "invoice.finalized",
      "invoice.payment_action_required",
      "customer.subscription.updated",
    ]);
    expect(standIn.subscription(subscription.id).status).toBe("past_due");
    const final = await standIn.failPayment(subscription.id, { final: true });
    expect(typesOf(final)).toEqual(["invoice.payment_failed", "customer.subscription.updated"]);
    const unpaid = await stripe.subscriptions.retrieve(subscription.id);
    expect(unpaid.status).toBe("unpaid");
    expect((await stripe.invoices.retrieve(idOf(unpaid.latest_invoice))).next_payment_attempt).toBeNull();
  });

  it("cancels at period end, pauses, resumes, announces the trial end and changes the price", async () => {
    const subscription = await trialingSubscription();
    expect(typesOf(await standIn.trialWillEnd(subscription.id))).toEqual(["customer.subscription.trial_will_end"]);
    expect(typesOf(await standIn.pause(subscription.id))).toEqual(["customer.subscription.paused"]);
    expect(standIn.subscription(subscription.id).status).toBe("paused");
    expect(typesOf(await standIn.resume(subscription.id))).toEqual(["customer.subscription.resumed"]);
    expect(standIn.subscription(subscription.id).status).toBe("active");

    const changed = await standIn.changePrice(subscription.id, YEARLY.id);
    expect(typesOf(changed)).toEqual(["customer.subscription.updated"]);
    const yearly = await stripe.subscriptions.retrieve(subscription.id);
    expect(yearly.items.data[0]?.price.id).toBe(YEARLY.id);
    expect(yearly.items.data[0]?.plan.interval).toBe("year");

    const atEnd = await standIn.cancel(subscription.id, { atPeriodEnd: true });
    expect(typesOf(atEnd)).toEqual(["customer.subscription.updated"]);
    const cancelling = await stripe.subscriptions.retrieve(subscription.id);
    expect(cancelling).toMatchObject({ status: "active", cancel_at_period_end: true });
    expect(cancelling.cancel_at).toBe(cancelling.items.data[0]?.current_period_end);
    // The period end comes: the subscription ends rather than renewing.
    expect(typesOf(await standIn.renew(subscription.id))).toEqual(["customer.subscription.deleted"]);
    expect(standIn.subscription(subscription.id).status).toBe("canceled");
  });

  it("answers the same controls over HTTP, with the delivery statuses", async () => {
    const subscription = await trialingSubscription();
    const post = (path: string, body?: unknown) =>
      fetch(`${standIn.url}/_standin/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const failed = await post(`subscriptions/${subscription.id}/fail_payment`, { final: true });
    expect(failed.status).toBe(200);
    const answer = (await failed.json()) as {
      events: Stripe.Event[];
      deliveries: { eventId: string; status: number | null }[];
      subscription: Stripe.Subscription;
    };
    expect(typesOf(answer.events)).toContain("invoice.payment_failed");
    expect(answer.subscription.status).toBe("unpaid");
    expect(answer.deliveries.map((delivery) => delivery.eventId)).toEqual(answer.events.map((event) => event.id));
    expect(answer.deliveries.every((delivery) => delivery.status === 200)).toBe(true);

    expect((await post(`subscriptions/${subscription.id}/pay_open_invoice`)).status).toBe(200);
    expect((await post(`subscriptions/${subscription.id}/pay_open_invoice`)).status).toBe(409);
    expect((await post(`subscriptions/${subscription.id}/cancel`, { atPeriodEnd: "yes" })).status).toBe(400);
    expect((await post("subscriptions/sub_missing/renew")).status).toBe(404);
    expect((await post(`subscriptions/${subscription.id}/change_price`, { priceId: YEARLY.id })).status).toBe(200);
    expect(standIn.subscription(subscription.id).items.data[0]?.price.id).toBe(YEARLY.id);

    const health = await fetch(`${standIn.url}/_standin/health`);
    expect(health.status).toBe(200);
    const read = await fetch(`${standIn.url}/_standin/subscriptions/${subscription.id}`);
    expect(((await read.json()) as Stripe.Subscription).status).toBe("active");
  });
});

describe("Stripe's API behaviour", () => {
  it("replays an idempotent request and refuses the key with other parameters", async () => {
    const { customer } = await openCheckout();
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: MONTHLY.id, quantity: 1 }],
      success_url: "http://app.test/ok",
    };
    const key = `reused-${customer.id}`;
    const first = await stripe.checkout.sessions.create(params, { idempotencyKey: key });
    const eventsBefore = standIn.events.length;
    const second = await stripe.checkout.sessions.create(params, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(standIn.events.length).toBe(eventsBefore);

    const reused = stripe.checkout.sessions.create(
      { ...params, success_url: "http://app.test/other" },
      { idempotencyKey: key },
    );
    await expect(reused).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    await expect(stripe.customers.create({ email: "x@example.test" }, { idempotencyKey: key })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it("does not save a refused request under its key: fixed, the same key works", async () => {
    const key = "k-validation-then-fixed";
    await expect(stripe.customers.create({ email: "not an email" }, { idempotencyKey: key })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    // Stripe compares parameters only for saved answers; a refused first attempt saved none.
    const customer = await stripe.customers.create({ email: "fixed@example.test" }, { idempotencyKey: key });
    expect(customer.email).toBe("fixed@example.test");
  });

  it("refuses a wrong API key with StripeAuthenticationError", async () => {
    const wrong = sdkFor(standIn, "sk_test_wrong_key_1234");
    const attempt = wrong.customers.create({ email: "a@example.test" });
    await expect(attempt).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as Error).message).toMatch(/Invalid API Key provided: sk_test_\*+1234$/);
    expect(standIn.requests.at(-1)).toMatchObject({ method: "POST", path: "/v1/customers", status: 401 });
  });

  it("refuses bad parameters with StripeInvalidRequestError naming the parameter", async () => {
    const { customer } = await openCheckout();
    const base = { mode: "subscription" as const, customer: customer.id, success_url: "http://app.test/ok" };
    await expect(
      stripe.checkout.sessions.create({
        ...base,
        line_items: [{ price: MONTHLY.id, quantity: 1 }],
        success_url: "nope",
      }),
    ).rejects.toMatchObject({ type: "StripeInvalidRequestError", param: "success_url", code: "url_invalid" });
    await expect(
      stripe.checkout.sessions.create({ ...base, line_items: [{ price: "price_missing", quantity: 1 }] }),
    ).rejects.toMatchObject({ param: "line_items[0][price]", code: "resource_missing", statusCode: 400 });
    await expect(stripe.subscriptions.retrieve("sub_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("answers raw HTTP as Stripe does: Request-Id, Stripe-Version, Basic auth, 404s", async () => {
    const basic = `Basic ${Buffer.from(`${SECRET_KEY}:`).toString("base64")}`;
    const price = await fetch(`${standIn.url}/v1/prices/${MONTHLY.id}`, {
      headers: { authorization: basic, "stripe-version": API_VERSION },
    });
    expect(price.status).toBe(200);
    expect(price.headers.get("request-id")).toMatch(/^req_\w+$/);
    expect(price.headers.get("stripe-version")).toBe(API_VERSION);
    expect(await price.json()).toMatchObject({ id: MONTHLY.id, object: "price", unit_amount: 1900 });

    const noKey = await fetch(`${standIn.url}/v1/prices/${MONTHLY.id}`);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");

    const unknown = await fetch(`${standIn.url}/v1/charges`, { headers: { authorization: `Bearer ${SECRET_KEY}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("request-id")).toMatch(/^req_/);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /Unrecognized request URL/,
    );

    const otherVersion = await fetch(`${standIn.url}/v1/prices/${MONTHLY.id}`, {
      headers: { authorization: `Bearer ${SECRET_KEY}`, "stripe-version": "2020-08-27" },
    });
    expect(otherVersion.status).toBe(400);
    expect((await fetch(`${standIn.url}/nowhere`)).status).toBe(404);
  });

  it("works through createStripeClient, as our code builds the client", async () => {
    const client = createStripeClient({ secretKey: SECRET_KEY, apiBase: new URL(standIn.url) });
    expect((await client.prices.retrieve(YEARLY.id)).recurring?.interval).toBe("year");
  });
});

describe("Customer Portal", () => {
  it("creates a session whose page lists the subscription and cancels it at period end", async () => {
    const { session, customer } = await openCheckout();
    const { subscription } = await standIn.completeCheckout(session.id);
    const portal = await stripe.billingPortal.sessions.create(
      { customer: customer.id, return_url: "http://app.test/settings/billing" },
      { idempotencyKey: `agentbot-portal-${customer.id}` },
    );
    expect(portal.url).toBe(`${standIn.url}/portal/${portal.id}`);

    const page = await fetch(portal.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("$19.00 per month");
    expect(html).toContain("Cancel subscription");
    expect(html).toContain("Switch to $190.00 per year");
    expect(html).toContain('<a href="http://app.test/settings/billing">Return</a>');

    const before = receiver.received.length;
    const cancel = await fetch(`${portal.url}/subscriptions/${subscription.id}/cancel`, {
      method: "POST",
      redirect: "manual",
    });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get("location")).toBe(`/portal/${portal.id}`);
    const updated = receiver.received.slice(before).find((event) => event.type === "customer.subscription.updated");
    expect(updated?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
    expect((await stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(true);
    expect(await (await fetch(portal.url)).text()).toMatch(/Cancels on/);

    // Another customer's portal session cannot touch this subscription.
    const other = await openCheckout();
    const foreign = await stripe.billingPortal.sessions.create({ customer: other.customer.id });
    const refused = await fetch(`${foreign.url}/subscriptions/${subscription.id}/cancel`, { method: "POST" });
    expect(refused.status).toBe(404);
  });
});

describe("webhook signatures and replays", () => {
  it("signs as Stripe does, so a stale or tampered delivery fails verification", async () => {
    const subscription = await trialingSubscription();
    const [event] = await standIn.trialWillEnd(subscription.id);
    if (!event) throw new Error("expected an event");
    const fresh = standIn.signed(event);
    expect(stripe.webhooks.constructEvent(fresh.body, fresh.signature, WEBHOOK_SECRET, 300).id).toBe(event.id);
    const stale = standIn.signed(event, Math.floor(Date.now() / 1000) - 600);
    expect(() => stripe.webhooks.constructEvent(stale.body, stale.signature, WEBHOOK_SECRET, 300)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() =>
      stripe.webhooks.constructEvent(fresh.body.replace(event.id, "evt_forged"), fresh.signature, WEBHOOK_SECRET, 300),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const copies = () => receiver.received.filter((received) => received.id === event.id).length;
    expect(copies()).toBe(1);
    expect(await standIn.deliver(event)).toBe(200);
    expect(copies()).toBe(2);
    expect(standIn.deliveries.filter((delivery) => delivery.eventId === event.id)).toHaveLength(2);
  });
});

describe("main.ts", () => {
  const main = fileURLToPath(new URL("../src/testing/stripe-stand-in/main.ts", import.meta.url));

  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, [main], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = once(child, "exit").then(([code]) => code as number | null);
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  it("names the variable that is wrong", async () => {
    const { exited, output } = run({
      STRIPE_STAND_IN_PORT: "not-a-port",
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_STAND_IN_PRICES: '[{"id":"price_x","unitAmount":1.5,"currency":"usd","interval":"month"}]',
    });
    expect(await exited).toBe(1);
    expect(output().stderr).toMatch(/STRIPE_STAND_IN_PORT: /);
    expect(output().stderr).toMatch(/STRIPE_STAND_IN_PRICES \(at 0\.unitAmount\)/);
  });

  it("starts, answers /_standin/health and stops on SIGTERM", async () => {
    const { child, exited, output } = run({
      STRIPE_STAND_IN_PORT: "0",
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_STAND_IN_PRICES: JSON.stringify([MONTHLY]),
    });
    const listening = /stripe stand-in listening on (http:\/\/\S+)\n/;
    while (!listening.test(output().stdout)) {
      const next = await Promise.race([once(child.stdout, "data"), exited.then(() => null)]);
      if (next === null) throw new Error(`main.ts exited before listening: ${output().stderr}`);
    }
    const url = listening.exec(output().stdout)?.[1] ?? "";
    expect((await fetch(`${url}/_standin/health`)).status).toBe(200);
    const remote = sdkFor({ url } as StripeStandIn);
    expect((await remote.prices.retrieve(MONTHLY.id)).unit_amount).toBe(1900);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
