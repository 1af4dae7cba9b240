import type Stripe from "stripe";
import { priceObject } from "./catalog.ts";
import type { StandInPrice } from "./catalog.ts";
import { completeCheckoutSession } from "./checkout-completion.ts";
import { createDelivery } from "./delivery.ts";
import type { Delivery, DeliveryRecord } from "./delivery.ts";
import { createEmitter } from "./events.ts";
import type { Emitter } from "./events.ts";
import { createIdempotencyStore } from "./idempotency.ts";
import type { IdempotencyStore } from "./idempotency.ts";
import { ControlError, createSubscriptionControls } from "./lifecycle.ts";
import type { SubscriptionControls } from "./lifecycle.ts";
import { createWorld, nowSeconds, snapshot } from "./world.ts";
import type { World } from "./world.ts";

/** One /v1 request as the stand-in answered it (the SDK keys every POST itself: see index.ts). */
export interface RequestRecord {
  readonly method: string;
  /** The path without the query (`/v1/checkout/sessions`). */
  readonly path: string;
  readonly idempotencyKey: string | null;
  readonly status: number;
}

/** What a control did: the events it emitted, in order, and how the webhook endpoint answered each. */
export interface ControlOutcome {
  readonly events: Stripe.Event[];
  readonly deliveries: DeliveryRecord[];
}

/** The stand-in's state and machinery, shared by the HTTP server (server.ts) and the in-process handle (index.ts). */
export interface StandInCore {
  readonly world: World;
  readonly emitter: Emitter;
  readonly delivery: Delivery;
  readonly controls: SubscriptionControls;
  readonly idempotency: IdempotencyStore;
  readonly requests: RequestRecord[];
  readonly secretKey: string;
  webhookUrl(): string | undefined;
  setWebhookUrl(url: string | undefined): void;
  /** Delivers `events` behind any earlier ones and resolves once the endpoint answered every one. */
  settle(events: Stripe.Event[]): Promise<ControlOutcome>;
  /** A control (lifecycle.ts) run and settled. */
  run(control: (controls: SubscriptionControls) => Stripe.Event[]): Promise<ControlOutcome>;
  /** What the hosted page's Subscribe does, settled (the redirect is the page's). */
  completeCheckout(sessionId: string): Promise<ControlOutcome & { readonly subscription: Stripe.Subscription }>;
}

export interface CoreOptions {
  readonly baseUrl: string;
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly webhookUrl?: string | undefined;
  readonly prices: readonly StandInPrice[];
}

export function createCore(options: CoreOptions): StandInCore {
  const world = createWorld(options.baseUrl);
  const created = nowSeconds();
  for (const price of options.prices) {
    if (world.prices.has(price.id)) throw new Error(`Stripe stand-in: price ${price.id} is configured twice`);
    world.prices.set(price.id, priceObject(price, created));
  }
  let webhookUrl = options.webhookUrl;
  const emitter = createEmitter(world, () => webhookUrl !== undefined);
  const delivery = createDelivery({ secret: options.webhookSecret, webhookUrl: () => webhookUrl });
  const controls = createSubscriptionControls(world, emitter);

  async function settle(events: Stripe.Event[]): Promise<ControlOutcome> {
    return { events, deliveries: await delivery.enqueue(events) };
  }

  return {
    world,
    emitter,
    delivery,
    controls,
    idempotency: createIdempotencyStore(),
    requests: [],
    secretKey: options.secretKey,
    webhookUrl: () => webhookUrl,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    settle,
    run: (control) => settle(control(controls)),
    async completeCheckout(sessionId) {
      const record = world.checkouts.get(sessionId);
      if (!record) throw new ControlError(404, `Stripe stand-in: no such Checkout Session ${sessionId}`);
      let completed: { subscription: Stripe.Subscription; events: Stripe.Event[] };
      try {
        completed = completeCheckoutSession(world, emitter, sessionId);
      } catch (error) {
        // Not open any more, or expired: the buyer's page says so; a test gets a 409.
        throw new ControlError(409, error instanceof Error ? error.message : String(error));
      }
      // As the session completed: later controls may change the live object while the deliveries are under way.
      const subscription = snapshot(completed.subscription);
      return { ...(await settle(completed.events)), subscription };
    },
  };
}
