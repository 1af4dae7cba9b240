import "server-only";
import { clientIp, requireScope } from "@agentbot/auth";
import type { Principal } from "@agentbot/auth";
import { toValidationIssues } from "@agentbot/contracts";
import type { ApiScope } from "@agentbot/contracts";
import type { z } from "zod";
import { env, trustProxyHeaders } from "../env.ts";
import {
  errorResponse,
  jsonResponse,
  rateLimitedResponse,
  unauthorizedResponse,
  validationErrorResponse,
} from "./api-response.ts";
import { getAuth, isAuthError } from "./auth.ts";
import type { AuthErrorLike } from "./auth.ts";
import { services } from "./infra.ts";
import type { Services } from "./infra.ts";

/**
 * One public API route (`/api/v1/*`), in this order: authenticate (session cookie or API key, else 401), CSRF check
 * for cookie-authenticated state-changing requests (403 `forbidden`), scope check (403 `insufficient_scope`), query
 * and JSON body validation against the contract (400 naming each field), the handler, then the response parsed
 * through its contract so nothing undeclared leaves.
 *
 * Never logged: request headers (API keys, cookies), bodies. An unexpected error is logged by its message only
 * (@agentbot/auth already redacts `agb_…` keys from its own messages) and answered 500 with no internals.
 */

const clientIpPolicy = { trustProxyHeaders, clientIpHeader: env.CLIENT_IP_HEADER };

/** The caller's IP as the audit log records it (null when unknown: see TRUST_PROXY_HEADERS). */
export function requestClientIp(request: Request): string | null {
  return clientIp(request.headers, clientIpPolicy);
}

/**
 * Spends a point of `which` for `key`; answers the 429 to send, or null. A store outage rejects, which the caller
 * turns into a 500: fail closed.
 */
async function limit(which: keyof Services["apiLimiters"], key: string): Promise<Response | null> {
  const result = await services().apiLimiters[which].consume(key);
  return result.allowed ? null : rateLimitedResponse(result.retryAfterMs / 1000);
}

/** Public API bodies are small; anything past this is refused before parsing. */
const maxBodyBytes = 64 * 1024;

interface RouteSpec<Query extends z.ZodType, Body extends z.ZodType, Response extends z.ZodType> {
  /** The scope the route needs; null: any valid principal. */
  readonly scope: ApiScope | null;
  readonly query?: Query;
  readonly body?: Body;
  readonly response: Response;
  /** A status for the successful answer (default 200). */
  readonly status?: number;
  handle(input: {
    principal: Principal;
    query: z.output<Query>;
    body: z.output<Body>;
    request: Request;
  }): Promise<z.input<Response> | globalThis.Response>;
}

async function readJsonBody(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json/i.test(type)) {
    return {
      ok: false,
      response: errorResponse(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json)."),
    };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBodyBytes) {
    return { ok: false, response: errorResponse(413, "payload_too_large", "The request body is too large.") };
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBodyBytes) {
    return { ok: false, response: errorResponse(413, "payload_too_large", "The request body is too large.") };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: errorResponse(400, "invalid_json", "The request body is not valid JSON.") };
  }
}

/** An `AuthError` from @agentbot/auth as a public API answer. */
export function authErrorResponse(error: AuthErrorLike): Response {
  const code = error.code;
  switch (code) {
    case "unauthenticated":
      return unauthorizedResponse();
    case "insufficient_scope":
      return errorResponse(403, "insufficient_scope", error.message);
    case "csrf_rejected":
    case "forbidden":
    case "last_admin":
      return errorResponse(error.status, "forbidden", error.message);
    case "not_found":
      return errorResponse(404, "not_found", error.message);
    case "rate_limited":
      return rateLimitedResponse(60);
    case "validation_failed":
    case "bot_check_failed":
      return validationErrorResponse(
        error.fields.map((field) => ({ path: `body.${field.path}`, message: field.message, code: "invalid" })),
      );
  }
}

export function publicApiRoute<
  Query extends z.ZodType = z.ZodUndefined,
  Body extends z.ZodType = z.ZodUndefined,
  Response extends z.ZodType = z.ZodType,
>(spec: RouteSpec<Query, Body, Response>): (request: Request) => Promise<globalThis.Response> {
  return async (request) => {
    try {
      const auth = getAuth();
      const principal = await auth.authenticateRequest(request);
      if (principal === null) {
        // Failed authentications are limited per IP (when the IP is known: see TRUST_PROXY_HEADERS).
        const ip = clientIp(request.headers, clientIpPolicy);
        const blocked = ip === null ? null : await limit("unauthenticated", `ip:${ip}`);
        return blocked ?? unauthorizedResponse();
      }
      const perPrincipal = await limit(
        "principal",
        principal.apiKeyId === undefined ? `user:${principal.user.id}` : `key:${principal.apiKeyId}`,
      );
      if (perPrincipal) return perPrincipal;
      if (principal.via === "session") auth.assertSameOrigin(request);
      if (spec.scope !== null) requireScope(principal, spec.scope);

      let query: unknown = undefined;
      if (spec.query !== undefined) {
        const params = Object.fromEntries(new URL(request.url).searchParams);
        const parsed = spec.query.safeParse(params);
        if (!parsed.success) return validationErrorResponse(toValidationIssues("query", parsed.error.issues));
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (spec.body !== undefined) {
        const read = await readJsonBody(request);
        if (!read.ok) return read.response;
        const parsed = spec.body.safeParse(read.value);
        if (!parsed.success) return validationErrorResponse(toValidationIssues("body", parsed.error.issues));
        body = parsed.data;
      }

      const result = await spec.handle({
        principal,
        query: query as z.output<Query>,
        body: body as z.output<Body>,
        request,
      });
      if (result instanceof globalThis.Response) return result;
      return jsonResponse(spec.response.parse(result), spec.status ?? 200);
    } catch (error) {
      if (isAuthError(error)) return authErrorResponse(error);
      const url = new URL(request.url);
      console.error(
        `[web] ${request.method} ${url.pathname} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "unknown error"}`,
      );
      return errorResponse(500, "internal_error", "Something went wrong on our side.");
    }
  };
}
