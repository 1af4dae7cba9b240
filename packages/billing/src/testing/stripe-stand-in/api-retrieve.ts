import type { ApiHandler } from "./api-context.ts";
import { noSuch } from "./errors.ts";
import { expandObject } from "./expand.ts";
import { expandParams, readParams } from "./params.ts";
import { snapshot } from "./world.ts";

/** GET /v1/subscriptions/:id */
export const retrieveSubscription: ApiHandler = (context, id) => {
  const { expand } = readParams(expandParams, context.params);
  const subscription = context.world.subscriptions.get(id);
  if (!subscription) throw noSuch("subscription", id, "id");
  return expandObject(context.world, snapshot(subscription), expand);
};

/** GET /v1/invoices/:id */
export const retrieveInvoice: ApiHandler = (context, id) => {
  const { expand } = readParams(expandParams, context.params);
  const invoice = context.world.invoices.get(id);
  if (!invoice) throw noSuch("invoice", id, "id");
  return expandObject(context.world, snapshot(invoice), expand);
};

/** GET /v1/prices/:id */
export const retrievePrice: ApiHandler = (context, id) => {
  const { expand } = readParams(expandParams, context.params);
  const price = context.world.prices.get(id);
  if (!price) throw noSuch("price", id, "id");
  return expandObject(context.world, snapshot(price), expand);
};
