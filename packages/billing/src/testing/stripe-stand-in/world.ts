import type Stripe from "stripe";

/** The API version every shape here was written against; start refuses an SDK that speaks another one. */
export const API_VERSION = "2026-11-18.endive";

/** What a Checkout Session keeps besides its public fields (Stripe holds these server-side too). */
export interface CheckoutRecord {
  readonly session: Stripe.Checkout.Session;
  readonly items: readonly { readonly price: Stripe.Price; readonly quantity: number }[];
  readonly trialPeriodDays: number | null;
  readonly subscriptionMetadata: Record<string, string>;
  readonly subscriptionDescription: string | null;
}

/** Everything the stand-in holds, live (mutable) objects keyed by id; what leaves is always a snapshot. */
export interface World {
  readonly baseUrl: string;
  readonly prices: Map<string, Stripe.Price>;
  readonly customers: Map<string, Stripe.Customer>;
  readonly checkouts: Map<string, CheckoutRecord>;
  readonly portals: Map<string, Stripe.BillingPortal.Session>;
  readonly subscriptions: Map<string, Stripe.Subscription>;
  readonly invoices: Map<string, Stripe.Invoice>;
  readonly events: Stripe.Event[];
}

export function createWorld(baseUrl: string): World {
  return {
    baseUrl,
    prices: new Map(),
    customers: new Map(),
    checkouts: new Map(),
    portals: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    events: [],
  };
}

/** Stripe's timestamps: whole seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A deep copy as it travels over the wire: what an API answer or an event carries. Decimal fields
 * (`unit_amount_decimal`…) become strings here, exactly as in an event read with `constructEvent`.
 */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Any object the stand-in holds, by id (for `expand`). */
export function findObject(world: World, id: string): unknown {
  return (
    world.customers.get(id) ??
    world.subscriptions.get(id) ??
    world.invoices.get(id) ??
    world.prices.get(id) ??
    world.checkouts.get(id)?.session ??
    world.portals.get(id)
  );
}
