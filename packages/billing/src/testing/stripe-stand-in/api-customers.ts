import type { ApiHandler } from "./api-context.ts";
import { customerObject } from "./customers.ts";
import { noSuch } from "./errors.ts";
import { expandParams, email, metadata, readParams, text } from "./params.ts";
import { expandObject } from "./expand.ts";
import { nowSeconds, snapshot } from "./world.ts";

const createParams = {
  email: email(),
  name: text({ max: 256 }),
  description: text({ max: 350 }),
  phone: text({ max: 20 }),
  metadata: metadata(),
  expand: expandParams.expand,
};

/** POST /v1/customers. Stripe announces the new customer with `customer.created`. */
export const createCustomer: ApiHandler = (context) => {
  const params = readParams(createParams, context.params);
  const customer = customerObject(
    {
      email: params.email ?? null,
      name: params.name ?? null,
      description: params.description ?? null,
      phone: params.phone ?? null,
      metadata: params.metadata ?? {},
    },
    nowSeconds(),
  );
  context.world.customers.set(customer.id, customer);
  const event = context.emitter.emit("customer.created", customer, { request: context.request });
  void context.delivery.enqueue([event]);
  return expandObject(context.world, snapshot(customer), params.expand);
};

/** GET /v1/customers/:id */
export const retrieveCustomer: ApiHandler = (context, id) => {
  const { expand } = readParams(expandParams, context.params);
  const customer = context.world.customers.get(id);
  if (!customer) throw noSuch("customer", id, "id");
  return expandObject(context.world, snapshot(customer), expand);
};
