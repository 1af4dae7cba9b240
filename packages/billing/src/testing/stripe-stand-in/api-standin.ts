import type Stripe from "stripe";
import { z } from "zod";
import type { ControlOutcome, StandInCore } from "./core.ts";
import { ControlError } from "./lifecycle.ts";
import type { SubscriptionControls } from "./lifecycle.ts";
import { snapshot } from "./world.ts";

/**
 * `/_standin/…`: the test's side door, for a browser test in another process than the stand-in (Playwright's
 * `webServer`). JSON in, JSON out; no authentication (the stand-in listens on loopback and holds only test data).
 *
 * Controls (POST, JSON body, answer `{ events, deliveries, subscription }` once the webhook endpoint answered every
 * event; errors `{ error: { message } }` with 400 for a bad body, 404 for an unknown id, 409 when the subscription is
 * not in a state the control applies to):
 *   /_standin/subscriptions/:id/end_trial | renew | require_action | pay_open_invoice | pause | resume | trial_will_end
 *   /_standin/subscriptions/:id/fail_payment   { "final"?: boolean }
 *   /_standin/subscriptions/:id/cancel         { "atPeriodEnd"?: boolean }
 *   /_standin/subscriptions/:id/change_price   { "priceId": string }
 *   /_standin/checkout/sessions/:id/complete   (Subscribe without the page; answers `subscription` as made)
 *   /_standin/events/:id/deliver               (a replay; answers `{ status }`, the endpoint's HTTP status)
 *   /_standin/webhook_url                      { "url": string | null }
 * Reads (GET): /_standin/health, /_standin/subscriptions/:id, /_standin/customers/:id, /_standin/events (`?type=`),
 *   /_standin/deliveries, /_standin/requests.
 */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly answer: JsonAnswer };

function failure(status: number, message: string): JsonAnswer {
  return { status, body: { error: { message } } };
}

/** A JSON body checked by `schema`; an empty body reads as `{}`. */
function parseBody<T>(schema: z.ZodType<T>, raw: string): Parsed<T> {
  let json: unknown = {};
  if (raw.trim() !== "") {
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, answer: failure(400, "Stripe stand-in: the body must be JSON") };
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, answer: failure(400, `Stripe stand-in: invalid body: ${z.prettifyError(parsed.error)}`) };
  }
  return { ok: true, value: parsed.data };
}

type ControlRun = (controls: SubscriptionControls, id: string) => Stripe.Event[];

/** A control's route: its body schema and what it runs with the parsed body. */
function control<T>(
  schema: z.ZodType<T>,
  run: (controls: SubscriptionControls, id: string, body: T) => Stripe.Event[],
) {
  return (raw: string): Parsed<ControlRun> => {
    const parsed = parseBody(schema, raw);
    return parsed.ok ? { ok: true, value: (controls, id) => run(controls, id, parsed.value) } : parsed;
  };
}

const empty = z.object({}).strict();
const subscriptionControls: Record<string, (raw: string) => Parsed<ControlRun>> = {
  end_trial: control(empty, (controls, id) => controls.endTrial(id)),
  renew: control(empty, (controls, id) => controls.renew(id)),
  fail_payment: control(z.object({ final: z.boolean().optional() }).strict(), (controls, id, body) =>
    controls.failPayment(id, body),
  ),
  require_action: control(empty, (controls, id) => controls.requireAction(id)),
  pay_open_invoice: control(empty, (controls, id) => controls.payOpenInvoice(id)),
  cancel: control(z.object({ atPeriodEnd: z.boolean().optional() }).strict(), (controls, id, body) =>
    controls.cancel(id, body),
  ),
  pause: control(empty, (controls, id) => controls.pause(id)),
  resume: control(empty, (controls, id) => controls.resume(id)),
  trial_will_end: control(empty, (controls, id) => controls.trialWillEnd(id)),
  change_price: control(z.object({ priceId: z.string().min(1) }).strict(), (controls, id, body) =>
    controls.changePrice(id, body.priceId),
  ),
};

const webhookUrlBody = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() }).strict();

function outcomeBody(core: StandInCore, outcome: ControlOutcome, subscriptionId: string | null) {
  const subscription = subscriptionId === null ? undefined : core.world.subscriptions.get(subscriptionId);
  return { ...outcome, subscription: subscription === undefined ? null : snapshot(subscription) };
}

async function guarded(work: () => Promise<JsonAnswer> | JsonAnswer): Promise<JsonAnswer> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ControlError) return failure(error.status, error.message);
    throw error;
  }
}

/** Answers a `/_standin/…` request, or null when the path names nothing here. */
export async function answerStandIn(
  core: StandInCore,
  method: string,
  url: URL,
  rawBody: string,
): Promise<JsonAnswer | null> {
  const path = url.pathname;
  const { world, delivery } = core;
  if (method === "GET") {
    if (path === "/_standin/health") return { status: 200, body: { ok: true, url: world.baseUrl } };
    if (path === "/_standin/events") {
      const type = url.searchParams.get("type");
      return { status: 200, body: type === null ? world.events : world.events.filter((event) => event.type === type) };
    }
    if (path === "/_standin/deliveries") return { status: 200, body: delivery.records };
    if (path === "/_standin/requests") return { status: 200, body: core.requests };
    const read = /^\/_standin\/(subscriptions|customers)\/([^/]+)$/.exec(path);
    if (read) {
      const [, kind, id = ""] = read;
      const object = kind === "subscriptions" ? world.subscriptions.get(id) : world.customers.get(id);
      return object === undefined
        ? failure(404, `Stripe stand-in: no such ${kind === "subscriptions" ? "subscription" : "customer"} ${id}`)
        : { status: 200, body: snapshot(object) };
    }
    return null;
  }
  if (method !== "POST") return null;

  const control = /^\/_standin\/subscriptions\/([^/]+)\/([a-z_]+)$/.exec(path);
  if (control) {
    const [, id = "", name = ""] = control;
    const route = Object.hasOwn(subscriptionControls, name) ? subscriptionControls[name] : undefined;
    if (!route) return null;
    const parsed = route(rawBody);
    if (!parsed.ok) return parsed.answer;
    return guarded(async () => {
      const outcome = await core.run((controls) => parsed.value(controls, id));
      return { status: 200, body: outcomeBody(core, outcome, id) };
    });
  }

  const complete = /^\/_standin\/checkout\/sessions\/([^/]+)\/complete$/.exec(path);
  if (complete) {
    const [, id = ""] = complete;
    const parsed = parseBody(empty, rawBody);
    if (!parsed.ok) return parsed.answer;
    return guarded(async () => ({ status: 200, body: await core.completeCheckout(id) }));
  }

  const redeliver = /^\/_standin\/events\/([^/]+)\/deliver$/.exec(path);
  if (redeliver) {
    const [, id = ""] = redeliver;
    const event = world.events.find((candidate) => candidate.id === id);
    if (!event) return failure(404, `Stripe stand-in: no such event ${id}`);
    if (core.webhookUrl() === undefined) return failure(409, "Stripe stand-in: no webhook URL is set");
    try {
      return { status: 200, body: { status: await delivery.deliver(event) } };
    } catch (error) {
      return failure(502, error instanceof Error ? error.message : String(error));
    }
  }

  if (path === "/_standin/webhook_url") {
    const parsed = parseBody(webhookUrlBody, rawBody);
    if (!parsed.ok) return parsed.answer;
    core.setWebhookUrl(parsed.value.url ?? undefined);
    return { status: 200, body: { url: parsed.value.url } };
  }
  return null;
}
