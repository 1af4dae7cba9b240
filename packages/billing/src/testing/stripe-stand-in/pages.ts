import type Stripe from "stripe";
import { formatAmount, productId } from "./catalog.ts";
import type { StandInCore } from "./core.ts";
import { html, page, formatDate } from "./html.ts";
import type { Html } from "./html.ts";
import { ControlError } from "./lifecycle.ts";
import { customerIdOf, LIVE_STATUSES } from "./subscriptions.ts";
import { nowSeconds } from "./world.ts";

/**
 * The pages Stripe hosts, reduced to what a browser test clicks: Checkout (`/checkout/:id`: the plan, Subscribe,
 * Cancel), the Customer Portal (`/portal/:id`: the customer's subscriptions, Cancel subscription, a plan switch,
 * Return) and an invoice's hosted page (`/invoices/:id`). Plain forms, no script; every action answers only once the
 * webhook endpoint has answered each event it caused, so a test that follows the redirect sees our app's final state.
 * Not covered: card entry and its failures (Subscribe always pays), promotion code entry, address collection, the
 * portal's payment-method and invoice-history screens, session expiry of portal sessions.
 */
export type PageAnswer =
  { readonly status: number; readonly html: string } | { readonly status: 303; readonly location: string };

const PAGE_ROUTES: readonly { readonly pattern: RegExp; readonly method: "GET" | "POST"; readonly name: string }[] = [
  { pattern: /^\/checkout\/([^/]+)$/, method: "GET", name: "checkout" },
  { pattern: /^\/checkout\/([^/]+)$/, method: "POST", name: "subscribe" },
  { pattern: /^\/portal\/([^/]+)$/, method: "GET", name: "portal" },
  { pattern: /^\/portal\/([^/]+)\/subscriptions\/([^/]+)\/cancel$/, method: "POST", name: "portal-cancel" },
  { pattern: /^\/portal\/([^/]+)\/subscriptions\/([^/]+)\/price$/, method: "POST", name: "portal-price" },
  { pattern: /^\/invoices\/([^/]+)$/, method: "GET", name: "invoice" },
];

export function isPagePath(path: string): boolean {
  return PAGE_ROUTES.some((route) => route.pattern.test(path));
}

function message(status: number, title: string, text: string): PageAnswer {
  return {
    status,
    html: page(
      title,
      html`<h1>${title}</h1>
        <p role="alert">${text}</p>`,
    ),
  };
}

function perInterval(price: Stripe.Price): string {
  return `${formatAmount(price.unit_amount ?? 0, price.currency)} per ${price.recurring?.interval ?? "month"}`;
}

function productName(price: Stripe.Price): string {
  return price.nickname ?? productId(price);
}

function checkoutPage(core: StandInCore, id: string): PageAnswer {
  const record = core.world.checkouts.get(id);
  if (!record) return message(404, "Checkout not found", "This Checkout Session does not exist.");
  const { session } = record;
  if (session.status === "complete") {
    return message(200, "Already paid", "This Checkout Session is complete: there is nothing left to pay.");
  }
  if (session.status === "expired" || session.expires_at <= nowSeconds()) {
    return message(410, "Checkout expired", "This Checkout Session has expired.");
  }
  const customer = typeof session.customer === "string" ? core.world.customers.get(session.customer) : undefined;
  const email = customer?.email ?? session.customer_email;
  const first = record.items[0];
  const trialDays = record.trialPeriodDays;
  const total = record.items.reduce((sum, item) => sum + (item.price.unit_amount ?? 0) * item.quantity, 0);
  const currency = first?.price.currency ?? session.currency ?? "usd";
  const interval = first?.price.recurring?.interval ?? "month";
  const body = html`
    <h1>Subscribe</h1>
    <section aria-label="Order summary">
      <ul>
        ${record.items.map(
          (item) =>
            html`<li>
              <span>${productName(item.price)}</span>${item.quantity > 1 ? html` × ${item.quantity}` : ""}:
              <strong>${perInterval(item.price)}</strong>
            </li> `,
        )}
      </ul>
      ${
        trialDays === null
          ? html`<p>Due today: <strong>${formatAmount(total, currency)}</strong></p>`
          : html`<p><strong>${trialDays} days free</strong></p>
              <p>
                Then ${formatAmount(total, currency)} per ${interval}. Due today:
                <strong>${formatAmount(0, currency)}</strong>
              </p>`
      }
      ${session.allow_promotion_codes === true ? html`<p>Promotion codes accepted</p>` : ""}
      ${email ? html`<p>Paying as <span>${email}</span> with a test card</p>` : ""}
    </section>
    <form method="post" action="/checkout/${id}">
      <button type="submit">Subscribe</button>
    </form>
    ${session.cancel_url ? html`<p><a href="${session.cancel_url}">Cancel</a></p>` : ""}
  `;
  return { status: 200, html: page("Subscribe", body) };
}

async function subscribe(core: StandInCore, id: string): Promise<PageAnswer> {
  try {
    await core.completeCheckout(id);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    return message(error.status, "Checkout unavailable", error.message);
  }
  const successUrl = core.world.checkouts.get(id)?.session.success_url;
  if (!successUrl) return message(200, "Thanks for subscribing", "Your subscription is active.");
  // Stripe fills in the literal template variable, nothing else.
  return { status: 303, location: successUrl.replaceAll("{CHECKOUT_SESSION_ID}", id) };
}

function portalPage(core: StandInCore, id: string): PageAnswer {
  const session = core.world.portals.get(id);
  if (!session) return message(404, "Portal not found", "This portal session does not exist.");
  const customer = core.world.customers.get(session.customer);
  const subscriptions = [...core.world.subscriptions.values()].filter(
    (subscription) => customerIdOf(subscription) === session.customer && LIVE_STATUSES.includes(subscription.status),
  );
  const otherPrices = (subscription: Stripe.Subscription) =>
    [...core.world.prices.values()].filter(
      (price) => price.currency === subscription.currency && price.id !== subscription.items.data[0]?.price.id,
    );
  const body = html`
    <h1>Billing</h1>
    ${customer?.email ? html`<p>Signed in as <span>${customer.email}</span></p>` : ""}
    <section aria-label="Subscriptions">
      <h2>Subscriptions</h2>
      ${subscriptions.length === 0 ? html`<p>You have no subscriptions.</p>` : ""}
      ${subscriptions.map((subscription) => subscriptionCard(id, subscription, otherPrices(subscription)))}
    </section>
    ${session.return_url ? html`<p><a href="${session.return_url}">Return</a></p>` : ""}
  `;
  return { status: 200, html: page("Billing", body) };
}

function subscriptionCard(portalId: string, subscription: Stripe.Subscription, others: Stripe.Price[]): Html {
  const item = subscription.items.data[0];
  const headingId = `subscription-${subscription.id}`;
  const action = (what: string) => `/portal/${portalId}/subscriptions/${subscription.id}/${what}`;
  let when: Html | string = "";
  if (item) {
    if (subscription.cancel_at_period_end) when = html`Cancels on ${formatDate(item.current_period_end)}`;
    else if (subscription.status === "trialing" && subscription.trial_end !== null) {
      when = html`Trial ends on ${formatDate(subscription.trial_end)}`;
    } else when = html`Renews on ${formatDate(item.current_period_end)}`;
  }
  return html`
    <article aria-labelledby="${headingId}">
      <h3 id="${headingId}">${item ? `${productName(item.price)}: ${perInterval(item.price)}` : subscription.id}</h3>
      <p>Status: <span>${subscription.status}</span></p>
      <p>${when}</p>
      ${
        subscription.cancel_at_period_end
          ? ""
          : html`<form method="post" action="${action("cancel")}">
              <button type="submit">Cancel subscription</button>
            </form>`
      }
      ${others.map(
        (price) =>
          html`<form method="post" action="${action("price")}">
            <input type="hidden" name="price" value="${price.id}" /><button type="submit">
              Switch to ${perInterval(price)}
            </button>
          </form>`,
      )}
    </article>
  `;
}

async function portalAction(
  core: StandInCore,
  portalId: string,
  subscriptionId: string,
  form: URLSearchParams,
  what: "cancel" | "price",
): Promise<PageAnswer> {
  const session = core.world.portals.get(portalId);
  const subscription = core.world.subscriptions.get(subscriptionId);
  // A portal session acts only on its own customer's subscriptions.
  if (!session || !subscription || customerIdOf(subscription) !== session.customer) {
    return message(404, "Not found", "This subscription is not in this portal session.");
  }
  try {
    if (what === "cancel") {
      // The portal's default: cancel at the end of the billing period.
      await core.run((controls) => controls.cancel(subscriptionId, { atPeriodEnd: true }));
    } else {
      const price = form.get("price");
      if (!price) return message(400, "No plan chosen", "Choose the plan to switch to.");
      await core.run((controls) => controls.changePrice(subscriptionId, price));
    }
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    return message(error.status, "Not possible", error.message);
  }
  return { status: 303, location: `/portal/${portalId}` };
}

function invoicePage(core: StandInCore, id: string): PageAnswer {
  const invoice = core.world.invoices.get(id);
  if (!invoice || invoice.status === "draft") return message(404, "Invoice not found", "This invoice does not exist.");
  const body = html`
    <h1>Invoice ${invoice.number ?? invoice.id}</h1>
    <p>Status: <span>${invoice.status}</span></p>
    <p>Amount due: <strong>${formatAmount(invoice.amount_due, invoice.currency)}</strong></p>
    <p>Amount paid: <strong>${formatAmount(invoice.amount_paid, invoice.currency)}</strong></p>
    <ul>
      ${invoice.lines.data.map(
        (line) =>
          html`<li>
            ${line.description ?? ""}: ${formatAmount(line.amount, line.currency)} (${formatDate(line.period.start)} to
            ${formatDate(line.period.end)})
          </li>`,
      )}
    </ul>
  `;
  return { status: 200, html: page(`Invoice ${invoice.number ?? invoice.id}`, body) };
}

/** Answers a hosted page, or null when `path` is no page. `body` is the form a POST sent. */
export async function answerPage(
  core: StandInCore,
  method: string,
  path: string,
  body: string,
): Promise<PageAnswer | null> {
  let known = false;
  for (const route of PAGE_ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    known = true;
    if (route.method !== method) continue;
    // Stripe's ids are letters, digits and underscores: a segment needing decoding names nothing, undecoded.
    const [, first = "", second = ""] = match;
    const form = new URLSearchParams(body);
    switch (route.name) {
      case "checkout":
        return checkoutPage(core, first);
      case "subscribe":
        return subscribe(core, first);
      case "portal":
        return portalPage(core, first);
      case "portal-cancel":
        return portalAction(core, first, second, form, "cancel");
      case "portal-price":
        return portalAction(core, first, second, form, "price");
      case "invoice":
        return invoicePage(core, first);
    }
  }
  return known ? message(405, "Method not allowed", `${method} is not allowed here.`) : null;
}
