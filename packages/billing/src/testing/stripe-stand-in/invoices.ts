import Stripe from "stripe";
import { addDays, formatAmount, productId } from "./catalog.ts";
import { stripeId } from "./ids.ts";

export interface InvoiceInput {
  readonly subscription: Stripe.Subscription;
  readonly customer: Stripe.Customer;
  readonly billingReason: "subscription_create" | "subscription_cycle";
  readonly created: number;
  /** The new service period the lines bill for. */
  readonly servicePeriod: { readonly start: number; readonly end: number };
  /**
   * The invoice's own period_start/end. Stripe sets these to the period that just ended (usage is collected for it),
   * not the one being billed; a first invoice has both equal to its creation.
   */
  readonly invoicePeriod: { readonly start: number; readonly end: number };
  /** A trial's first invoice bills nothing. */
  readonly trial: boolean;
}

/**
 * A draft subscription invoice, as Stripe generates one (`invoice.created`). This API version links it to its
 * subscription through `parent.subscription_details.subscription` and its lines through
 * `lines.data[].parent.subscription_item_details`; there is no top-level `subscription` field.
 */
export function invoiceObject(input: InvoiceInput): Stripe.Invoice {
  const id = stripeId("in");
  const { subscription, customer } = input;
  const lines: Stripe.InvoiceLineItem[] = subscription.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    const unit = item.price.unit_amount ?? 0;
    const amount = input.trial ? 0 : unit * quantity;
    const product = productId(item.price);
    const description = input.trial
      ? `Trial period for ${product}`
      : `${quantity} × ${product} (at ${formatAmount(unit, item.price.currency)} / ${item.price.recurring?.interval ?? "month"})`;
    return {
      id: stripeId("il"),
      object: "line_item",
      amount,
      currency: item.price.currency,
      description,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: {},
      parent: {
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: subscription.id,
          subscription_item: item.id,
        },
        type: "subscription_item_details",
      },
      period: { start: input.servicePeriod.start, end: input.servicePeriod.end },
      pretax_credit_amounts: [],
      pricing: {
        price_details: { price: item.price.id, product },
        type: "price_details",
        unit_amount_decimal: Stripe.Decimal.from(input.trial ? "0" : String(unit)),
      },
      quantity,
      quantity_decimal: Stripe.Decimal.from(String(quantity)),
      subscription: subscription.id,
      subtotal: amount,
      taxes: [],
    };
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Stripe stand-in",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: input.billingReason === "subscription_create" ? null : input.created + 3600,
    billing_reason: input.billingReason,
    collection_method: "charge_automatically",
    created: input.created,
    currency: subscription.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
      type: "subscription_details",
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.invoicePeriod.end,
    period_start: input.invoicePeriod.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/** Draft → open: numbered from the customer's prefix and sequence, with a hosted page. */
export function finalizeInvoice(invoice: Stripe.Invoice, customer: Stripe.Customer, at: number, baseUrl: string) {
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  invoice.status = "open";
  invoice.number = `${customer.invoice_prefix ?? "STANDIN"}-${String(sequence).padStart(4, "0")}`;
  invoice.status_transitions.finalized_at = at;
  invoice.effective_at = at;
  invoice.automatically_finalizes_at = null;
  invoice.hosted_invoice_url = `${baseUrl}/invoices/${invoice.id}`;
  invoice.webhooks_delivered_at = at;
}

/** Open → paid. A $0 invoice (a trial's) is marked paid without a charge attempt. */
export function payInvoice(invoice: Stripe.Invoice, at: number): void {
  invoice.status = "paid";
  invoice.attempted = true;
  if (invoice.amount_due > 0) invoice.attempt_count += 1;
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = at;
}

/**
 * A failed charge attempt: the invoice stays open. Stripe schedules the next retry (Smart Retries; a fixed three days
 * here) unless it was the last one.
 */
export function failInvoiceAttempt(invoice: Stripe.Invoice, at: number, last: boolean): void {
  invoice.attempted = true;
  invoice.attempt_count += 1;
  invoice.next_payment_attempt = last ? null : addDays(at, 3);
}
