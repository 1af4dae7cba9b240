import "server-only";
import type { PublicApiErrorCode, ValidationIssue } from "@agentbot/contracts";

/**
 * Responses of the public API (`/api/v1/*`) and the account routes: JSON, never cached, errors in the standard
 * `{ error: { code, message, details? } }` shape.
 */

const noStore = { "cache-control": "no-store" } as const;

export function jsonResponse(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return Response.json(body, { status, headers: { ...noStore, ...headers } });
}

export function errorResponse(
  status: number,
  code: PublicApiErrorCode,
  message: string,
  options: { details?: unknown; headers?: Record<string, string> } = {},
): Response {
  const error = options.details === undefined ? { code, message } : { code, message, details: options.details };
  return jsonResponse({ error }, status, options.headers);
}

export function validationErrorResponse(issues: readonly ValidationIssue[]): Response {
  const fields = [...new Set(issues.map((issue) => issue.path))].join(", ");
  return errorResponse(400, "validation_failed", `Invalid request: ${fields}.`, { details: { issues } });
}

export function unauthorizedResponse(
  message = "Sign in, or send an API key as `Authorization: Bearer <key>`.",
): Response {
  // No realm or error detail: which of missing, wrong, revoked or expired it was is not said.
  return errorResponse(401, "unauthorized", message, { headers: { "www-authenticate": 'Bearer realm="agentbot"' } });
}

export function rateLimitedResponse(retryAfterSeconds: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return errorResponse(429, "rate_limited", `Too many requests. Try again in ${seconds} seconds.`, {
    headers: { "retry-after": String(seconds) },
  });
}
