import type Stripe from "stripe";
import { addDays } from "./catalog.ts";
import { stripeId } from "./ids.ts";

export interface CheckoutSessionInput {
  readonly baseUrl: string;
  readonly created: number;
  readonly customer: string | null;
  readonly customerEmail: string | null;
  readonly clientReferenceId: string | null;
  readonly metadata: Record<string, string>;
  readonly allowPromotionCodes: boolean | null;
  readonly successUrl: string | null;
  readonly cancelUrl: string | null;
  readonly currency: string;
  /** What is due today: 0 with a trial. */
  readonly amountDue: number;
  readonly locale: string | null;
  readonly billingAddressCollection: string | null;
  readonly paymentMethodCollection: string;
}

/** An open subscription-mode Checkout Session on the stand-in's hosted page (`ui_mode` hosted_page). */
export function checkoutSessionObject(input: CheckoutSessionInput): Stripe.Checkout.Session {
  const id = stripeId("cs_test");
  return {
    id,
    object: "checkout.session",
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: input.allowPromotionCodes,
    allowed_payment_method_types: null,
    amount_subtotal: input.amountDue,
    amount_total: input.amountDue,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: input.billingAddressCollection,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.created,
    currency: input.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: [],
    expires_at: addDays(input.created, 1),
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: input.locale,
    managed_payments: null,
    metadata: input.metadata,
    mode: "subscription",
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: input.paymentMethodCollection,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: `${input.baseUrl}/checkout/${id}`,
    wallet_options: null,
  };
}
