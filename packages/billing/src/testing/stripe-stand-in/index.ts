import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { StandInPrice } from "./catalog.ts";
import { createCore } from "./core.ts";
import type { RequestRecord, StandInCore } from "./core.ts";
import type { DeliveryRecord } from "./delivery.ts";
import { ControlError } from "./lifecycle.ts";
import { createRequestListener } from "./server.ts";
import { API_VERSION, snapshot } from "./world.ts";

/**
 * A local Stripe for tests: the real `stripe` SDK, pointed at `url` with its `host`/`port`/`protocol` options (what
 * `createStripeClient` does with STRIPE_API_BASE), gets Stripe's answers for the endpoints our billing code calls;
 * the hosted Checkout and portal pages are plain HTML at the URLs the API hands out; webhooks are delivered, signed
 * with `webhookSecret`, to `webhookUrl`, one after another in the order Stripe would send them. The controls below
 * are what Stripe does on its own (trials end, renewals, failed charges): each changes the world, delivers the events
 * it caused and resolves once the endpoint answered every one, with those events.
 *
 * Idempotency keys: stripe@23.2.0 puts one (`stripe-node-retry-<uuid>`) on every POST that has none, so "every POST
 * carries a key" holds by itself; assert on the key's value (ours start with `agentbot-`) in `requests`.
 */
export interface StripeStandInOptions {
  /** The secret key requests must present (`sk_test_…`). */
  readonly secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  readonly webhookSecret: string;
  /** Where events are POSTed; unset: nowhere (events are still recorded). */
  readonly webhookUrl?: string;
  readonly prices: readonly StandInPrice[];
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port (read `url`). */
  readonly port?: number;
}

/** One /v1 request: method, path (no query), its Idempotency-Key (null without one) and the answer's status. */
export type StripeStandInRequest = RequestRecord;
/** One webhook delivery attempt: the event, the URL, the endpoint's status (null: unreachable, see `error`). */
export type StripeDeliveryRecord = DeliveryRecord;

export interface StripeStandIn {
  /** `http://127.0.0.1:PORT`: what STRIPE_API_BASE is set to. */
  readonly url: string;
  setWebhookUrl(url: string | undefined): void;
  /** Signs an event as Stripe would for this endpoint's secret (optionally at another timestamp), for tests that tamper. */
  signed(event: Stripe.Event, timestamp?: number): { body: string; signature: string };
  /** Delivers an event again now (a replay), outside the queue; the endpoint's HTTP status. */
  deliver(event: Stripe.Event): Promise<number>;
  /** Every event emitted, in order (live: grows as the stand-in works). */
  readonly events: readonly Stripe.Event[];
  /** Every delivery attempt, in order (live). */
  readonly deliveries: readonly StripeDeliveryRecord[];
  /** Every /v1 request, in order (live). */
  readonly requests: readonly StripeStandInRequest[];
  /** A snapshot; throws for an unknown id. */
  subscription(id: string): Stripe.Subscription;
  /** A snapshot; throws for an unknown id. */
  customer(id: string): Stripe.Customer;
  /** What the hosted page's Subscribe does, minus the redirect. */
  completeCheckout(sessionId: string): Promise<{ subscription: Stripe.Subscription; events: Stripe.Event[] }>;
  /** The trial ends: a paid renewal invoice, status active, the first paying period. */
  endTrial(subscriptionId: string): Promise<Stripe.Event[]>;
  /** The period rolls over and its invoice is paid (or, with cancel_at_period_end, the subscription ends). */
  renew(subscriptionId: string): Promise<Stripe.Event[]>;
  /** The renewal charge (or a retry of it) fails: past_due; with `final`, the last retry: unpaid. */
  failPayment(subscriptionId: string, options?: { final?: boolean }): Promise<Stripe.Event[]>;
  /** The renewal charge needs the customer (3-D Secure): invoice.payment_action_required, past_due. */
  requireAction(subscriptionId: string): Promise<Stripe.Event[]>;
  /** A retry of the open invoice succeeds: paid, status active. */
  payOpenInvoice(subscriptionId: string): Promise<Stripe.Event[]>;
  /** Canceled now (customer.subscription.deleted), or at period end (cancel_at_period_end, updated). */
  cancel(subscriptionId: string, options?: { atPeriodEnd?: boolean }): Promise<Stripe.Event[]>;
  pause(subscriptionId: string): Promise<Stripe.Event[]>;
  resume(subscriptionId: string): Promise<Stripe.Event[]>;
  /** Stripe's three-days-before notice (customer.subscription.trial_will_end); changes nothing. */
  trialWillEnd(subscriptionId: string): Promise<Stripe.Event[]>;
  /** A plan change in the portal: items[0].price becomes `priceId`. */
  changePrice(subscriptionId: string, priceId: string): Promise<Stripe.Event[]>;
  /** Waits for deliveries under way, then stops listening. */
  close(): Promise<void>;
}

export type { StandInPrice } from "./catalog.ts";
/** What a control or `subscription(id)` throws: `status` 404 (unknown id) or 409 (not in a state it applies to). */
export { ControlError as StripeStandInControlError } from "./lifecycle.ts";

/** `host` as it goes into a URL (IPv6 in brackets; a wildcard address is reached on loopback). */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startStripeStandIn(options: StripeStandInOptions): Promise<StripeStandIn> {
  // Every shape here is this API version's; an SDK speaking another one would get answers it misreads. The types
  // agree when this compiles, but the SDK that runs may not be the one that was type-checked.
  const sdkVersion: string = Stripe.API_VERSION;
  if (sdkVersion !== API_VERSION) {
    throw new Error(`Stripe stand-in: written for API version ${API_VERSION}, the stripe SDK speaks ${sdkVersion}`);
  }
  if (options.webhookUrl !== undefined && !URL.canParse(options.webhookUrl)) {
    throw new Error(`Stripe stand-in: webhookUrl ${options.webhookUrl} is not a URL`);
  }
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  let ready: StandInCore;
  try {
    ready = createCore({ ...options, baseUrl: url });
  } catch (error) {
    // A bad price: nothing may keep listening for a stand-in the caller never gets.
    server.close();
    throw error;
  }
  server.on("request", createRequestListener(ready));

  const run = async (control: Parameters<StandInCore["run"]>[0]) => (await ready.run(control)).events;
  const found = <T>(object: T | undefined, what: string, id: string): T => {
    if (object === undefined) throw new ControlError(404, `Stripe stand-in: no such ${what} ${id}`);
    return snapshot(object);
  };

  return {
    url,
    setWebhookUrl: (webhookUrl) => ready.setWebhookUrl(webhookUrl),
    signed: (event, timestamp) => ready.delivery.signed(event, timestamp),
    deliver: (event) => ready.delivery.deliver(event),
    events: ready.world.events,
    deliveries: ready.delivery.records,
    requests: ready.requests,
    subscription: (id) => found(ready.world.subscriptions.get(id), "subscription", id),
    customer: (id) => found(ready.world.customers.get(id), "customer", id),
    async completeCheckout(sessionId) {
      const { subscription, events } = await ready.completeCheckout(sessionId);
      return { subscription, events };
    },
    endTrial: (id) => run((controls) => controls.endTrial(id)),
    renew: (id) => run((controls) => controls.renew(id)),
    failPayment: (id, controlOptions) => run((controls) => controls.failPayment(id, controlOptions)),
    requireAction: (id) => run((controls) => controls.requireAction(id)),
    payOpenInvoice: (id) => run((controls) => controls.payOpenInvoice(id)),
    cancel: (id, controlOptions) => run((controls) => controls.cancel(id, controlOptions)),
    pause: (id) => run((controls) => controls.pause(id)),
    resume: (id) => run((controls) => controls.resume(id)),
    trialWillEnd: (id) => run((controls) => controls.trialWillEnd(id)),
    changePrice: (id, priceId) => run((controls) => controls.changePrice(id, priceId)),
    async close() {
      await ready.delivery.idle();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; they would hold `close` open until they time out.
        server.closeAllConnections();
      });
    },
  };
}
