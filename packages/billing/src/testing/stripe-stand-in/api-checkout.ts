import type Stripe from "stripe";
import type { ApiHandler } from "./api-context.ts";
import { checkoutSessionObject } from "./checkout-session.ts";
import { invalidRequest, noSuch } from "./errors.ts";
import { expandObject } from "./expand.ts";
import {
  bool,
  email,
  expandParams,
  hash,
  int,
  list,
  metadata,
  oneOf,
  readParams,
  required,
  text,
  url,
} from "./params.ts";
import { nowSeconds, snapshot } from "./world.ts";

const createParams = {
  mode: oneOf(["payment", "setup", "subscription"]),
  ui_mode: oneOf(["hosted_page"]),
  customer: text(),
  customer_email: email(),
  client_reference_id: text({ max: 200 }),
  metadata: metadata(),
  line_items: list(hash({ price: text(), quantity: int({ min: 1, max: 999_999 }) }), { max: 20 }),
  subscription_data: hash({
    trial_period_days: int({ min: 1, max: 730 }),
    metadata: metadata(),
    description: text({ max: 500 }),
  }),
  allow_promotion_codes: bool(),
  success_url: url(),
  cancel_url: url(),
  locale: text(),
  billing_address_collection: oneOf(["auto", "required"]),
  payment_method_collection: oneOf(["always", "if_required"]),
  customer_update: hash({ address: oneOf(["auto", "never"]), name: oneOf(["auto", "never"]) }),
  expand: expandParams.expand,
};

/**
 * POST /v1/checkout/sessions in subscription mode, with the checks Stripe makes on what we send: the customer and
 * every price must exist, each line item needs a quantity, all recurring prices must share currency and interval,
 * `customer` excludes `customer_email`, trial days are 1 to 730. Other modes are refused (the stand-in models only
 * subscription Checkout).
 */
export const createCheckoutSession: ApiHandler = (context) => {
  const { world } = context;
  const params = readParams(createParams, context.params);
  const mode = required(params.mode, "mode");
  if (mode !== "subscription") {
    throw invalidRequest(`The Stripe stand-in models only mode=subscription Checkout Sessions, not mode=${mode}`, {
      param: "mode",
    });
  }
  if (params.customer !== undefined && params.customer_email !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", {
      param: "customer_email",
    });
  }
  if (params.customer !== undefined && !world.customers.has(params.customer)) {
    throw noSuch("customer", params.customer, "customer");
  }
  if (params.customer_update !== undefined && params.customer === undefined) {
    throw invalidRequest("customer_update can only be used with customer.", { param: "customer_update" });
  }
  const lineItems = required(params.line_items, "line_items");
  if (lineItems.length === 0) {
    throw invalidRequest("You must provide at least one recurring price in `subscription` mode when using prices.", {
      param: "line_items",
    });
  }
  const items = lineItems.map((item, index) => {
    const price = required(item?.price, `line_items[${index}][price]`);
    const found = world.prices.get(price);
    if (!found) throw noSuch("price", price, `line_items[${index}][price]`);
    if (item?.quantity === undefined) {
      throw invalidRequest(`Quantity is required. Add \`quantity\` to \`line_items[${index}]\``, {
        param: `line_items[${index}][quantity]`,
        code: "parameter_missing",
      });
    }
    return { price: found, quantity: item.quantity };
  });
  assertOneCycle(items.map((item) => item.price));

  const trialPeriodDays = params.subscription_data?.trial_period_days ?? null;
  const currency = items[0]?.price.currency ?? "usd";
  const dueToday =
    trialPeriodDays === null ? items.reduce((sum, i) => sum + (i.price.unit_amount ?? 0) * i.quantity, 0) : 0;
  const session = checkoutSessionObject({
    baseUrl: world.baseUrl,
    created: nowSeconds(),
    customer: params.customer ?? null,
    customerEmail: params.customer_email ?? null,
    clientReferenceId: params.client_reference_id ?? null,
    metadata: params.metadata ?? {},
    allowPromotionCodes: params.allow_promotion_codes ?? null,
    successUrl: params.success_url ?? null,
    cancelUrl: params.cancel_url ?? null,
    currency,
    amountDue: dueToday,
    locale: params.locale ?? null,
    billingAddressCollection: params.billing_address_collection ?? null,
    paymentMethodCollection: params.payment_method_collection ?? "always",
  });
  world.checkouts.set(session.id, {
    session,
    items,
    trialPeriodDays,
    subscriptionMetadata: params.subscription_data?.metadata ?? {},
    subscriptionDescription: params.subscription_data?.description ?? null,
  });
  return expandObject(world, snapshot(session), params.expand);
};

function assertOneCycle(prices: readonly Stripe.Price[]): void {
  const [first, ...rest] = prices;
  for (const price of rest) {
    if (price.currency !== first?.currency) {
      throw invalidRequest("All prices on a subscription must have the same currency.", { param: "line_items" });
    }
    if (price.recurring?.interval !== first.recurring?.interval) {
      throw invalidRequest(
        "All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.",
        { param: "line_items" },
      );
    }
  }
}

/** GET /v1/checkout/sessions/:id */
export const retrieveCheckoutSession: ApiHandler = (context, id) => {
  const { expand } = readParams(expandParams, context.params);
  const record = context.world.checkouts.get(id);
  if (!record) throw noSuch("checkout.session", id, "id");
  return expandObject(context.world, snapshot(record.session), expand);
};
