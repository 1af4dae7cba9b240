import type Stripe from "stripe";
import { addDays, addInterval } from "./catalog.ts";
import { customerObject } from "./customers.ts";
import type { Emitter } from "./events.ts";
import { stripeId } from "./ids.ts";
import { finalizeInvoice, invoiceObject, payInvoice } from "./invoices.ts";
import { subscriptionObject } from "./subscriptions.ts";
import { nowSeconds } from "./world.ts";
import type { World } from "./world.ts";

/**
 * What paying on the hosted Checkout page does: creates the subscription (trialing for the asked trial days, else
 * active for one interval), its first invoice ($0 for a trial, as Stripe issues one) and completes the session, with
 * the events Stripe sends for it, in this order:
 * [customer.created when the session had no customer], checkout.session.completed, customer.subscription.created,
 * invoice.created, invoice.finalized, invoice.paid, invoice.payment_succeeded.
 * (Stripe does not promise an order; this one makes a handler meet the session before the subscription it names.)
 */
export function completeCheckoutSession(
  world: World,
  emitter: Emitter,
  sessionId: string,
): { subscription: Stripe.Subscription; events: Stripe.Event[] } {
  const record = world.checkouts.get(sessionId);
  if (!record) throw new Error(`Stripe stand-in: no such Checkout Session ${sessionId}`);
  const { session } = record;
  const now = nowSeconds();
  if (session.status !== "open") {
    throw new Error(`Stripe stand-in: Checkout Session ${sessionId} is ${session.status}, not open`);
  }
  if (session.expires_at <= now) throw new Error(`Stripe stand-in: Checkout Session ${sessionId} has expired`);
  const events: Stripe.Event[] = [];

  let customer = typeof session.customer === "string" ? world.customers.get(session.customer) : undefined;
  if (!customer) {
    // Subscription mode without `customer`: Checkout creates one from what the buyer typed.
    customer = customerObject(
      { email: session.customer_email, name: null, description: null, phone: null, metadata: {} },
      now,
    );
    world.customers.set(customer.id, customer);
    events.push(emitter.emit("customer.created", customer));
  }
  customer.currency = session.currency;

  const trial = record.trialPeriodDays !== null;
  const trialEnd = trial ? addDays(now, record.trialPeriodDays ?? 0) : null;
  const first = record.items[0];
  if (!first) throw new Error(`Stripe stand-in: Checkout Session ${sessionId} has no line items`);
  const subscription = subscriptionObject({
    customer: customer.id,
    items: record.items,
    metadata: { ...record.subscriptionMetadata },
    description: record.subscriptionDescription,
    created: now,
    trialEnd,
    periodEnd: trialEnd ?? addInterval(now, first.price.recurring?.interval ?? "month", now),
    defaultPaymentMethod: stripeId("pm"),
  });
  world.subscriptions.set(subscription.id, subscription);
  const period = { start: now, end: subscription.items.data[0]?.current_period_end ?? now };
  const invoice = invoiceObject({
    subscription,
    customer,
    billingReason: "subscription_create",
    created: now,
    servicePeriod: period,
    invoicePeriod: { start: now, end: now },
    trial,
  });
  world.invoices.set(invoice.id, invoice);
  subscription.latest_invoice = invoice.id;

  session.status = "complete";
  session.payment_status = trial ? "no_payment_required" : "paid";
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.invoice = invoice.id;
  session.url = null;
  session.customer_details = {
    address: null,
    business_name: null,
    email: customer.email,
    individual_name: null,
    name: customer.name ?? null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };

  events.push(emitter.emit("checkout.session.completed", session));
  events.push(emitter.emit("customer.subscription.created", subscription));
  events.push(emitter.emit("invoice.created", invoice));
  finalizeInvoice(invoice, customer, now, world.baseUrl);
  events.push(emitter.emit("invoice.finalized", invoice));
  payInvoice(invoice, now);
  events.push(emitter.emit("invoice.paid", invoice));
  events.push(emitter.emit("invoice.payment_succeeded", invoice));
  return { subscription, events };
}
