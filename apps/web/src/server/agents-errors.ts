import "server-only";
import type { BackendError } from "@agentbot/client";
import { ValidationErrorDetails } from "@agentbot/contracts";
import type { ValidationIssue } from "@agentbot/contracts";
import { errorResponse, rateLimitedResponse, validationErrorResponse } from "./api-response.ts";

/**
 * Whether `error` is the typed client's `BackendError`. Checked by shape, not `instanceof`: Next.js bundles each route
 * separately, so the error may come from another bundle's copy of the class.
 */
export function isBackendError(error: unknown): error is BackendError {
  return (
    error instanceof Error &&
    error.name === "BackendError" &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

/**
 * Where a backend validation path points in the public request: the backend's provision body carries the
 * Idempotency-Key header's value as `idempotencyKey`; everything else is where the caller sent it.
 */
function publicIssuePath(path: string): string {
  return path === "body.idempotencyKey" ? "headers.idempotency-key" : path;
}

export function toPublicIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues
    .filter((issue) => issue.path !== "body.userId" && !issue.path.startsWith("params."))
    .map((issue) => ({ ...issue, path: publicIssuePath(issue.path) }));
}

/**
 * A backend refusal as the public API answers it. The backend already scopes every agent route to the acting user,
 * so its 404 for another user's agent is passed on as our 404. Failures that are ours (the backend down, a broken
 * contract, a rejected service token) are logged by code and message (never a secret: the client's messages carry
 * none) and answered without internals.
 */
export function backendErrorResponse(error: BackendError, what: string): Response {
  switch (error.code) {
    case "not_found":
      return errorResponse(404, "not_found", "No agent with this id.");
    case "conflict":
      return errorResponse(409, "conflict", error.message);
    case "subscription_required":
      return errorResponse(402, "subscription_required", error.message);
    case "plan_limit_reached":
      return errorResponse(403, "plan_limit_reached", error.message);
    case "rate_limited":
      return rateLimitedResponse(error.retryAfterSeconds ?? 30);
    case "validation_failed": {
      const details = ValidationErrorDetails.safeParse(error.details);
      const issues = details.success ? toPublicIssues(details.data.issues) : [];
      if (issues.length > 0) return validationErrorResponse(issues);
      return errorResponse(400, "validation_failed", error.message);
    }
  }
  console.error(`[web] ${what}: backend ${error.code} (${error.status}): ${error.message}`);
  if (error.code === "backend_unreachable" || error.code === "service_unavailable") {
    const retry: Record<string, string> =
      error.retryAfterSeconds === undefined ? {} : { "retry-after": String(error.retryAfterSeconds) };
    return errorResponse(503, "service_unavailable", "Agents are unavailable right now. Try again shortly.", {
      headers: retry,
    });
  }
  return errorResponse(500, "internal_error", "Something went wrong on our side.");
}

/** Runs `work`; a `BackendError` becomes its public answer, anything else propagates (publicApiRoute answers 500). */
export async function answeringBackendErrors<T>(what: string, work: () => Promise<T>): Promise<T | Response> {
  try {
    return await work();
  } catch (error) {
    if (isBackendError(error)) return backendErrorResponse(error, what);
    throw error;
  }
}
