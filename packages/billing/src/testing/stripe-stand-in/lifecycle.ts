import type Stripe from "stripe";
import { addInterval, planObject } from "./catalog.ts";
import { changeOf } from "./events.ts";
import type { Emitter } from "./events.ts";
import { finalizeInvoice, failInvoiceAttempt, invoiceObject, payInvoice } from "./invoices.ts";
import { currentPeriod, customerIdOf, setPeriod } from "./subscriptions.ts";
import { nowSeconds } from "./world.ts";
import type { World } from "./world.ts";

/**
 * What Stripe does to a subscription on its own (trial ends, renewals, failed and retried charges) or on a customer's
 * click in the portal, as changes to the world plus the events Stripe sends for them, in the order they are sent.
 * Each control answers its events; delivering them is the caller's business (see controls.ts).
 *
 * Time: the stand-in has no test clock. A control acts as if the clock had reached the moment Stripe acts (a trial's
 * end, a period's end): the new period starts where the old one ended, so `current_period_end` visibly moves on even
 * when a test calls `renew` in the second the subscription was made. `created` of invoices and events is the real
 * now. Not covered: prorations, tax, discounts, Smart Retries' schedule (a failed attempt schedules a retry three
 * days later and nothing retries on its own), dunning emails, invoices' `invoice.updated`/`invoice.voided`.
 */

/** A control that cannot apply (no such subscription, or not in a state where Stripe would do this). */
export class ControlError extends Error {
  readonly status: 404 | 409;

  constructor(status: 404 | 409, message: string) {
    super(message);
    this.name = "ControlError";
    this.status = status;
  }
}

/** `cancellation_details` once cancellation was asked for (by our code through the API, or in the portal). */
function cancellationRequested(subscription: Stripe.Subscription): Stripe.Subscription.CancellationDetails {
  return {
    comment: subscription.cancellation_details?.comment ?? null,
    feedback: subscription.cancellation_details?.feedback ?? null,
    feedback_option: subscription.cancellation_details?.feedback_option ?? null,
    reason: "cancellation_requested",
  };
}

export interface SubscriptionControls {
  endTrial(subscriptionId: string): Stripe.Event[];
  renew(subscriptionId: string): Stripe.Event[];
  failPayment(subscriptionId: string, options?: { readonly final?: boolean }): Stripe.Event[];
  requireAction(subscriptionId: string): Stripe.Event[];
  payOpenInvoice(subscriptionId: string): Stripe.Event[];
  cancel(subscriptionId: string, options?: { readonly atPeriodEnd?: boolean }): Stripe.Event[];
  pause(subscriptionId: string): Stripe.Event[];
  resume(subscriptionId: string): Stripe.Event[];
  trialWillEnd(subscriptionId: string): Stripe.Event[];
  changePrice(subscriptionId: string, priceId: string): Stripe.Event[];
}

export function createSubscriptionControls(world: World, emitter: Emitter): SubscriptionControls {
  function subscriptionOf(id: string): Stripe.Subscription {
    const subscription = world.subscriptions.get(id);
    if (!subscription) throw new ControlError(404, `Stripe stand-in: no such subscription ${id}`);
    return subscription;
  }

  function expectStatus(
    subscription: Stripe.Subscription,
    allowed: readonly Stripe.Subscription.Status[],
    what: string,
  ) {
    if (!allowed.includes(subscription.status)) {
      throw new ControlError(
        409,
        `Stripe stand-in: cannot ${what} subscription ${subscription.id}: it is ${subscription.status} ` +
          `(${what} applies to ${allowed.join(" or ")})`,
      );
    }
  }

  function customerOf(subscription: Stripe.Subscription): Stripe.Customer {
    const id = customerIdOf(subscription);
    const customer = world.customers.get(id);
    if (!customer) throw new ControlError(404, `Stripe stand-in: subscription ${subscription.id} names no customer`);
    return customer;
  }

  /** The subscription's latest invoice while it is still open (a failed charge waiting for a retry). */
  function openInvoiceOf(subscription: Stripe.Subscription): Stripe.Invoice | undefined {
    const id =
      typeof subscription.latest_invoice === "string" ? subscription.latest_invoice : subscription.latest_invoice?.id;
    const invoice = id === undefined ? undefined : world.invoices.get(id);
    return invoice?.status === "open" ? invoice : undefined;
  }

  /**
   * The period after the current one and its renewal invoice (draft, not yet announced): what Stripe generates at a
   * period's (or a trial's) end. The subscription itself is not changed here, so the caller can fold the new period
   * into the one `customer.subscription.updated` it sends.
   */
  function nextCycle(subscription: Stripe.Subscription, now: number) {
    const period = currentPeriod(subscription);
    const interval = subscription.items.data[0]?.price.recurring?.interval ?? "month";
    const anchor = subscription.status === "trialing" ? period.end : subscription.billing_cycle_anchor;
    const next = { start: period.end, end: addInterval(period.end, interval, anchor) };
    // The lines bill for the new period; the invoice's own period is the one that just ended (see invoices.ts).
    const invoice = invoiceObject({
      subscription,
      customer: customerOf(subscription),
      billingReason: "subscription_cycle",
      created: now,
      servicePeriod: next,
      invoicePeriod: period,
      trial: false,
    });
    world.invoices.set(invoice.id, invoice);
    return { next, anchor, invoice };
  }

  /** Moves the subscription into `next` (a trial that reaches its end becomes a paying period). */
  function enterCycle(
    subscription: Stripe.Subscription,
    cycle: ReturnType<typeof nextCycle>,
    status: Stripe.Subscription.Status,
  ): Record<string, unknown> {
    return changeOf(subscription, (s) => {
      setPeriod(s, cycle.next.start, cycle.next.end);
      s.billing_cycle_anchor = cycle.anchor;
      s.latest_invoice = cycle.invoice.id;
      s.status = status;
    });
  }

  function announceDraft(invoice: Stripe.Invoice, subscription: Stripe.Subscription, now: number): Stripe.Event[] {
    const events = [emitter.emit("invoice.created", invoice)];
    finalizeInvoice(invoice, customerOf(subscription), now, world.baseUrl);
    events.push(emitter.emit("invoice.finalized", invoice));
    return events;
  }

  /** A period (or trial) ends and its renewal is charged successfully. */
  function cyclePaid(subscription: Stripe.Subscription): Stripe.Event[] {
    const now = nowSeconds();
    const cycle = nextCycle(subscription, now);
    const previous = enterCycle(subscription, cycle, "active");
    const events = [emitter.emit("customer.subscription.updated", subscription, { previous })];
    events.push(...announceDraft(cycle.invoice, subscription, now));
    payInvoice(cycle.invoice, now);
    events.push(emitter.emit("invoice.paid", cycle.invoice));
    events.push(emitter.emit("invoice.payment_succeeded", cycle.invoice));
    return events;
  }

  /**
   * A charge attempt that does not go through: on the open invoice if there is one (a retry), else on a new renewal
   * invoice (the period rolls over as it does for a successful renewal; Stripe keeps billing forward while it retries).
   */
  function chargeFails(
    subscription: Stripe.Subscription,
    outcome: "invoice.payment_failed" | "invoice.payment_action_required",
    status: Stripe.Subscription.Status,
    last: boolean,
  ): Stripe.Event[] {
    const now = nowSeconds();
    const open = openInvoiceOf(subscription);
    const events: Stripe.Event[] = [];
    let previous: Record<string, unknown>;
    let invoice: Stripe.Invoice;
    if (open) {
      invoice = open;
      failInvoiceAttempt(invoice, now, last);
      events.push(emitter.emit(outcome, invoice));
      previous = changeOf(subscription, (s) => {
        s.status = status;
      });
    } else {
      const cycle = nextCycle(subscription, now);
      invoice = cycle.invoice;
      events.push(...announceDraft(invoice, subscription, now));
      failInvoiceAttempt(invoice, now, last);
      events.push(emitter.emit(outcome, invoice));
      previous = enterCycle(subscription, cycle, status);
    }
    // Stripe sends `customer.subscription.updated` only when something changed (a second failure while past_due
    // changes nothing on the subscription).
    if (Object.keys(previous).length > 0) {
      events.push(emitter.emit("customer.subscription.updated", subscription, { previous }));
    }
    return events;
  }

  return {
    endTrial(id) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["trialing"], "end the trial of");
      return cyclePaid(subscription);
    },

    renew(id) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["active"], "renew");
      if (subscription.cancel_at_period_end) {
        // The period Stripe was asked to end at has come: the subscription ends instead of renewing.
        const end = currentPeriod(subscription).end;
        changeOf(subscription, (s) => {
          s.status = "canceled";
          s.ended_at = end;
          s.canceled_at ??= nowSeconds();
        });
        return [emitter.emit("customer.subscription.deleted", subscription)];
      }
      return cyclePaid(subscription);
    },

    failPayment(id, options = {}) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["trialing", "active", "past_due"], "fail a payment of");
      // The last retry failing: Stripe's "if all retries for a payment fail" setting, here "mark as unpaid".
      const final = options.final === true;
      return chargeFails(subscription, "invoice.payment_failed", final ? "unpaid" : "past_due", final);
    },

    requireAction(id) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["trialing", "active", "past_due"], "require customer action for");
      return chargeFails(subscription, "invoice.payment_action_required", "past_due", false);
    },

    payOpenInvoice(id) {
      const subscription = subscriptionOf(id);
      const invoice = openInvoiceOf(subscription);
      if (!invoice) {
        throw new ControlError(409, `Stripe stand-in: subscription ${id} has no open invoice to pay (fail one first)`);
      }
      payInvoice(invoice, nowSeconds());
      const events = [emitter.emit("invoice.paid", invoice), emitter.emit("invoice.payment_succeeded", invoice)];
      const previous = changeOf(subscription, (s) => {
        s.status = "active";
      });
      if (Object.keys(previous).length > 0) {
        events.push(emitter.emit("customer.subscription.updated", subscription, { previous }));
      }
      return events;
    },

    cancel(id, options = {}) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"], "cancel");
      const now = nowSeconds();
      if (options.atPeriodEnd === true) {
        // Asking again changes nothing, and Stripe sends nothing for an update that changes nothing.
        if (subscription.cancel_at_period_end) return [];
        const previous = changeOf(subscription, (s) => {
          s.cancel_at_period_end = true;
          s.cancel_at = currentPeriod(s).end;
          s.canceled_at = now;
          s.cancellation_details = cancellationRequested(s);
        });
        return [emitter.emit("customer.subscription.updated", subscription, { previous })];
      }
      changeOf(subscription, (s) => {
        s.status = "canceled";
        s.canceled_at = now;
        s.ended_at = now;
        s.cancel_at = null;
        s.cancel_at_period_end = false;
        s.cancellation_details = cancellationRequested(s);
      });
      return [emitter.emit("customer.subscription.deleted", subscription)];
    },

    pause(id) {
      const subscription = subscriptionOf(id);
      // Stripe pauses a trial that ends without a payment method (trial_settings.end_behavior); the stand-in lets an
      // active one be paused too, modelling the status only (no invoices while paused, none on resume).
      expectStatus(subscription, ["trialing", "active"], "pause");
      const previous = changeOf(subscription, (s) => {
        s.status = "paused";
      });
      return [emitter.emit("customer.subscription.paused", subscription, { previous })];
    },

    resume(id) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["paused"], "resume");
      const previous = changeOf(subscription, (s) => {
        s.status = "active";
      });
      return [emitter.emit("customer.subscription.resumed", subscription, { previous })];
    },

    trialWillEnd(id) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["trialing"], "announce the trial end of");
      return [emitter.emit("customer.subscription.trial_will_end", subscription)];
    },

    changePrice(id, priceId) {
      const subscription = subscriptionOf(id);
      expectStatus(subscription, ["trialing", "active", "past_due"], "change the price of");
      const price = world.prices.get(priceId);
      if (!price) throw new ControlError(404, `Stripe stand-in: no such price ${priceId}`);
      if (price.currency !== subscription.currency) {
        throw new ControlError(
          409,
          `Stripe stand-in: price ${priceId} is in ${price.currency}, subscription ${id} in ${subscription.currency}`,
        );
      }
      const item = subscription.items.data[0];
      if (!item || item.price.id === priceId) return [];
      // A portal plan change: the item's price (and its Plan mirror) changes in place. Not covered: the proration
      // invoice items Stripe adds, and the new billing cycle it starts when the interval changes.
      const previous = changeOf(subscription, () => {
        item.price = price;
        item.plan = planObject(price);
      });
      return [emitter.emit("customer.subscription.updated", subscription, { previous })];
    },
  };
}
