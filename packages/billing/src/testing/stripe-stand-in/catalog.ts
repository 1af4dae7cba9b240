import Stripe from "stripe";

export interface StandInPrice {
  readonly id: string;
  readonly unitAmount: number;
  readonly currency: string;
  readonly interval: "month" | "year";
  readonly product?: string;
}

/** A recurring per-unit price as Stripe returns it, built from the stand-in's configured prices. */
export function priceObject(price: StandInPrice, created: number): Stripe.Price {
  if (!Number.isSafeInteger(price.unitAmount) || price.unitAmount < 0) {
    throw new Error(`Stripe stand-in: price ${price.id} needs a whole, non-negative unitAmount (cents)`);
  }
  if (!/^[a-z]{3}$/.test(price.currency)) {
    throw new Error(`Stripe stand-in: price ${price.id} needs a lower-case ISO currency code ("usd")`);
  }
  return {
    id: price.id,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created,
    currency: price.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: price.product ?? `prod_${price.id.replace(/^price_/, "")}`,
    recurring: {
      interval: price.interval,
      interval_count: 1,
      meter: null,
      trial_period_days: null,
      usage_type: "licensed",
    },
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: "recurring",
    unit_amount: price.unitAmount,
    unit_amount_decimal: Stripe.Decimal.from(String(price.unitAmount)),
  };
}

/** The legacy Plan mirror Stripe still puts on every subscription item. */
export function planObject(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: typeof price.product === "string" ? price.product : price.product.id,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function productId(price: Stripe.Price): string {
  return typeof price.product === "string" ? price.product : price.product.id;
}

/** Amounts in the currency's minor unit, shown as Stripe's pages show them ("$19.00", "¥1,900"). */
export function formatAmount(minor: number, currency: string): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

const DAY_SECONDS = 86_400;

export function addDays(timestamp: number, days: number): number {
  return timestamp + days * DAY_SECONDS;
}

/**
 * One billing interval after `from`, by the calendar as Stripe bills: the day of month follows the billing cycle
 * anchor and is clamped to short months (anchor Jan 31: Feb 28, then Mar 31).
 */
export function addInterval(from: number, interval: string, anchor: number): number {
  const start = new Date(from * 1000);
  const anchorDay = new Date(anchor * 1000).getUTCDate();
  const months = interval === "year" ? 12 : interval === "month" ? 1 : 0;
  if (months === 0) return interval === "week" ? addDays(from, 7) : addDays(from, 1);
  const target = new Date(start);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const daysInMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(anchorDay, daysInMonth));
  return Math.floor(target.getTime() / 1000);
}
