import type Stripe from "stripe";
import { stripeId } from "./ids.ts";
import { API_VERSION, nowSeconds, snapshot } from "./world.ts";
import type { World } from "./world.ts";

/** The event types the stand-in emits, with the object each carries (as Stripe.Event's union pairs them). */
export interface EventObjects {
  "customer.created": Stripe.Customer;
  "customer.updated": Stripe.Customer;
  "checkout.session.completed": Stripe.Checkout.Session;
  "billing_portal.session.created": Stripe.BillingPortal.Session;
  "customer.subscription.created": Stripe.Subscription;
  "customer.subscription.updated": Stripe.Subscription;
  "customer.subscription.deleted": Stripe.Subscription;
  "customer.subscription.paused": Stripe.Subscription;
  "customer.subscription.resumed": Stripe.Subscription;
  "customer.subscription.trial_will_end": Stripe.Subscription;
  "invoice.created": Stripe.Invoice;
  "invoice.finalized": Stripe.Invoice;
  "invoice.paid": Stripe.Invoice;
  "invoice.payment_succeeded": Stripe.Invoice;
  "invoice.payment_failed": Stripe.Invoice;
  "invoice.payment_action_required": Stripe.Invoice;
}
export type StandInEventType = keyof EventObjects;

/** Which API request caused the event; both null for what Stripe does on its own (renewals, retries). */
export interface EventRequest {
  readonly id: string | null;
  readonly idempotency_key: string | null;
}

const AUTOMATIC: EventRequest = { id: null, idempotency_key: null };

export interface Emitter {
  /** Records an event carrying a snapshot of `object` as it is now. */
  emit<T extends StandInEventType>(
    type: T,
    object: EventObjects[T],
    options?: { previous?: Record<string, unknown>; request?: EventRequest },
  ): Stripe.Event;
}

export function createEmitter(world: World, webhookConfigured: () => boolean): Emitter {
  return {
    emit(type, object, options = {}) {
      const event = {
        id: stripeId("evt"),
        object: "event",
        api_version: API_VERSION,
        created: nowSeconds(),
        data: {
          object: snapshot(object),
          ...(options.previous && Object.keys(options.previous).length > 0
            ? { previous_attributes: snapshot(options.previous) }
            : {}),
        },
        livemode: false,
        pending_webhooks: webhookConfigured() ? 1 : 0,
        request: options.request ?? AUTOMATIC,
        type,
      };
      // `type` and `data.object` are paired by EventObjects, which mirrors Stripe.Event's union; TypeScript cannot
      // follow a generic key into that union, hence the one cast.
      const typed = event as unknown as Stripe.Event;
      world.events.push(typed);
      return typed;
    },
  };
}

/**
 * Runs `change` on `object` and answers Stripe's `previous_attributes` for it: the former value of every top-level
 * field that changed (Stripe sends whole former values of changed fields, `items` included).
 */
export function changeOf<T extends object>(object: T, change: (object: T) => void): Record<string, unknown> {
  const before = snapshot(object) as Record<string, unknown>;
  change(object);
  const after = snapshot(object) as Record<string, unknown>;
  const previous: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key] ?? null;
  }
  return previous;
}
