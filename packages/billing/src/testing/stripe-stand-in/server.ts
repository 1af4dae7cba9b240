import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { ApiContext, ApiHandler } from "./api-context.ts";
import { createCheckoutSession, retrieveCheckoutSession } from "./api-checkout.ts";
import { createCustomer, retrieveCustomer } from "./api-customers.ts";
import { createPortalSession } from "./api-portal.ts";
import { retrieveInvoice, retrievePrice, retrieveSubscription } from "./api-retrieve.ts";
import { answerStandIn } from "./api-standin.ts";
import type { StandInCore } from "./core.ts";
import { invalidRequest, StripeApiError } from "./errors.ts";
import type { StripeErrorBody } from "./errors.ts";
import { parseForm } from "./form.ts";
import type { FormValue } from "./form.ts";
import { stripeId } from "./ids.ts";
import { answerPage } from "./pages.ts";
import { API_VERSION } from "./world.ts";

/**
 * The stand-in's HTTP face, one listener for everything:
 * - `/v1/…`: Stripe's API for the endpoints our billing code calls, answered as Stripe answers them: authenticated
 *   by the secret key (Bearer, or Basic with the key as user name), `Stripe-Version` checked and echoed, a
 *   `Request-Id` on every answer, errors as `{ error: { type, message, code?, param? } }` with Stripe's statuses, POSTs
 *   idempotent by `Idempotency-Key` (idempotency.ts). Every /v1 request is recorded (`core.requests`).
 * - `/checkout/…`, `/portal/…`, `/invoices/…`: the hosted pages (pages.ts).
 * - `/_standin/…`: controls and reads for tests in another process (api-standin.ts).
 * Anything else is a 404 in Stripe's error shape. Not covered: list endpoints, updates and deletes (our code does
 * not call them), `Stripe-Account` (Connect), API keys other than the one configured (restricted keys, publishable
 * keys are refused like wrong keys).
 */

interface Route {
  readonly method: "GET" | "POST";
  readonly pattern: RegExp;
  readonly handler: ApiHandler;
}

const API_ROUTES: readonly Route[] = [
  { method: "POST", pattern: /^\/v1\/checkout\/sessions$/, handler: createCheckoutSession },
  { method: "GET", pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/, handler: retrieveCheckoutSession },
  { method: "POST", pattern: /^\/v1\/customers$/, handler: createCustomer },
  { method: "GET", pattern: /^\/v1\/customers\/([^/]+)$/, handler: retrieveCustomer },
  { method: "POST", pattern: /^\/v1\/billing_portal\/sessions$/, handler: createPortalSession },
  { method: "GET", pattern: /^\/v1\/subscriptions\/([^/]+)$/, handler: retrieveSubscription },
  { method: "GET", pattern: /^\/v1\/invoices\/([^/]+)$/, handler: retrieveInvoice },
  { method: "GET", pattern: /^\/v1\/prices\/([^/]+)$/, handler: retrievePrice },
];

/** Far above anything our code sends; Stripe's own limit is not documented. */
const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? null : first;
}

function sendJson(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-cache, no-store",
    ...headers,
  });
  response.end(body);
}

/** Stripe pretty-prints its JSON answers. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function errorJson(body: StripeErrorBody): string {
  return json({ error: body });
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The key as Stripe echoes a wrong one: its prefix and last four characters, the rest masked. */
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:test_|live_)?/.exec(key)?.[0] ?? "";
  const rest = key.slice(prefix.length);
  if (rest.length <= 4) return `${prefix}${"*".repeat(rest.length)}`;
  return `${prefix}${"*".repeat(rest.length - 4)}${rest.slice(-4)}`;
}

/** The API key a request presents: `Authorization: Bearer <key>` or Basic with the key as user name. */
function presentedKey(request: IncomingMessage): string | null {
  const authorization = header(request, "authorization");
  if (authorization === null) return null;
  const [scheme = "", ...rest] = authorization.trim().split(/\s+/);
  const credentials = rest.join(" ");
  if (/^bearer$/i.test(scheme)) return credentials;
  if (/^basic$/i.test(scheme)) return Buffer.from(credentials, "base64").toString("utf8").split(":")[0] ?? "";
  return authorization;
}

function authenticate(core: StandInCore, request: IncomingMessage): void {
  const key = presentedKey(request);
  if (key === null || key === "") {
    throw invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer " +
        "auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for " +
        "details, or we can help at https://support.stripe.com/.",
      { status: 401 },
    );
  }
  if (!sameSecret(key, core.secretKey)) {
    throw invalidRequest(`Invalid API Key provided: ${maskKey(key)}`, { status: 401 });
  }
}

function routeOf(method: string, path: string): { route: Route; id: string } {
  for (const route of API_ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    // Ids are letters, digits and underscores; an encoded one is looked up as sent and not found.
    if (match) return { route, id: match[1] ?? "" };
  }
  throw invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at ` +
      "https://support.stripe.com/.",
    { status: 404 },
  );
}

/** Runs an endpoint: its JSON answer, or Stripe's error answer for what it threw (a 500 for a stand-in bug). */
function execute(route: Route, context: ApiContext, id: string): { status: number; body: string } {
  try {
    return { status: 200, body: json(route.handler(context, id)) };
  } catch (error) {
    if (error instanceof StripeApiError) return { status: error.status, body: errorJson(error.body) };
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: errorJson({ type: "api_error", message: `Stripe stand-in failed: ${message}` }) };
  }
}

function answerApi(
  core: StandInCore,
  request: IncomingMessage,
  response: ServerResponse,
  context: { method: string; url: URL; raw: string; requestId: string },
): void {
  const { method, url, raw, requestId } = context;
  const path = url.pathname;
  const version = header(request, "stripe-version");
  // Stripe ignores Idempotency-Key on GET and DELETE.
  const idempotencyKey = method === "POST" ? header(request, "idempotency-key") : null;
  const common: Record<string, string> = { "stripe-version": version ?? API_VERSION };
  if (idempotencyKey !== null) common["idempotency-key"] = idempotencyKey;
  const send = (status: number, body: string, extra: Record<string, string> = {}) => {
    core.requests.push({ method, path, idempotencyKey, status });
    if (status === 401) extra["www-authenticate"] = 'Basic realm="Stripe"';
    sendJson(response, status, body, { ...common, ...extra });
  };
  try {
    authenticate(core, request);
    if (version !== null && version !== API_VERSION) {
      throw invalidRequest(
        `Invalid Stripe API version: ${version} (the Stripe stand-in answers in ${API_VERSION} shapes only, the ` +
          "version stripe@23.2.0 pins)",
        { param: "Stripe-Version" },
      );
    }
    const { route, id } = routeOf(method, path);
    const params: Record<string, FormValue> = parseForm(method === "POST" ? raw : url.search.slice(1));
    const endpoint = `${method} ${path}`;
    if (idempotencyKey !== null) {
      const found = core.idempotency.lookup(idempotencyKey, endpoint, params);
      if (found.kind === "replay") {
        send(found.answer.status, found.answer.body, {
          "idempotent-replayed": "true",
          "original-request": found.answer.requestId,
        });
        return;
      }
    }
    const answer = execute(
      route,
      {
        world: core.world,
        params,
        request: { id: requestId, idempotency_key: idempotencyKey },
        emitter: core.emitter,
        delivery: core.delivery,
      },
      id,
    );
    if (idempotencyKey !== null) core.idempotency.save(idempotencyKey, endpoint, params, { ...answer, requestId });
    send(answer.status, answer.body);
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    send(error.status, errorJson(error.body));
  }
}

function sendPage(response: ServerResponse, answer: { status: number; html: string } | { location: string }) {
  if ("location" in answer) {
    response.writeHead(303, { location: answer.location, "content-length": 0 });
    response.end();
    return;
  }
  response.writeHead(answer.status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(answer.html),
    "cache-control": "no-store",
  });
  response.end(answer.html);
}

async function answer(core: StandInCore, request: IncomingMessage, response: ServerResponse, requestId: string) {
  const method = request.method ?? "GET";
  const url = new URL(request.url ?? "/", core.world.baseUrl);
  const path = url.pathname;
  let raw: string;
  try {
    raw = await readBody(request);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    sendJson(response, 413, errorJson({ type: "invalid_request_error", message: "Request body too large" }));
    return;
  }
  if (path === "/v1" || path.startsWith("/v1/")) {
    answerApi(core, request, response, { method, url, raw, requestId });
    return;
  }
  if (path.startsWith("/_standin/")) {
    const control = await answerStandIn(core, method, url, raw);
    if (control !== null) {
      sendJson(response, control.status, json(control.body));
      return;
    }
  } else {
    const page = await answerPage(core, method, path, raw);
    if (page !== null) {
      sendPage(response, page);
      return;
    }
  }
  sendJson(
    response,
    404,
    errorJson({
      type: "invalid_request_error",
      message: `Unrecognized request URL (${method}: ${path}). The Stripe stand-in serves /v1 (the endpoints our code calls), /checkout, /portal, /invoices and /_standin.`,
    }),
  );
}

export function createRequestListener(core: StandInCore): RequestListener {
  return (request, response) => {
    const requestId = stripeId("req");
    response.setHeader("request-id", requestId);
    answer(core, request, response, requestId).catch((error: unknown) => {
      // A stand-in bug: answered as Stripe answers its own failures, and left visible in the test's output.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`Stripe stand-in: ${request.method} ${request.url} failed: ${message}\n`);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, 500, errorJson({ type: "api_error", message: `Stripe stand-in failed: ${String(error)}` }));
    });
  };
}
