export {};
export * from "./cdp-stand-in/index.ts";
// The Stripe stand-in: a local Stripe API, hosted pages and signed webhooks for tests (stripe-stand-in/index.ts).
export { startStripeStandIn, StripeStandInControlError } from "./stripe-stand-in/index.ts";
export type {
  StandInPrice,
  StripeDeliveryRecord,
  StripeStandIn,
  StripeStandInOptions,
  StripeStandInRequest,
} from "./stripe-stand-in/index.ts";
