import type Stripe from "stripe";
import type { ApiHandler } from "./api-context.ts";
import { noSuch } from "./errors.ts";
import { expandObject } from "./expand.ts";
import { stripeId } from "./ids.ts";
import { expandParams, readParams, required, text, url } from "./params.ts";
import { nowSeconds, snapshot } from "./world.ts";

/** The account's default portal configuration; Stripe refuses portal sessions until one is saved, ours always is. */
export const DEFAULT_PORTAL_CONFIGURATION = "bpc_standin_default";

const createParams = {
  customer: text(),
  return_url: url(),
  configuration: text(),
  locale: text(),
  expand: expandParams.expand,
};

/** POST /v1/billing_portal/sessions: a session on the stand-in's hosted portal page. */
export const createPortalSession: ApiHandler = (context) => {
  const { world } = context;
  const params = readParams(createParams, context.params);
  const customer = required(params.customer, "customer");
  if (!world.customers.has(customer)) throw noSuch("customer", customer, "customer");
  const configuration = params.configuration ?? DEFAULT_PORTAL_CONFIGURATION;
  if (configuration !== DEFAULT_PORTAL_CONFIGURATION) {
    throw noSuch("billing_portal.configuration", configuration, "configuration");
  }
  const id = stripeId("bps");
  const session: Stripe.BillingPortal.Session = {
    id,
    object: "billing_portal.session",
    configuration,
    created: nowSeconds(),
    customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: params.locale ?? null,
    on_behalf_of: null,
    return_url: params.return_url ?? null,
    url: `${world.baseUrl}/portal/${id}`,
  };
  world.portals.set(id, session);
  const event = context.emitter.emit("billing_portal.session.created", session, { request: context.request });
  void context.delivery.enqueue([event]);
  return expandObject(world, snapshot(session), params.expand);
};
