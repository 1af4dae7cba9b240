import { EngineError } from "@agentbot/engine";
import { RailwayError } from "../railway-error.ts";

/**
 * Turns a failed Railway call into the driver's EngineError. Retryable: rate limits and gateway errors after the
 * client's own retries, dropped connections, and answers that were not Railway's JSON (an HTML "Access denied" page,
 * a 403 from a proxy) — all passing conditions. Not retryable: Railway's own refusals in `errors[]` (not found, not
 * authorized, invalid input), which another try will meet again. `redact` removes the API token from the message,
 * belt and braces: the client never puts it there.
 */
export function engineErrorFrom(error: unknown, step: string, redact: (text: string) => string): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof RailwayError) {
    const message = redact(`Railway ${step} failed: ${error.message}`);
    switch (error.kind) {
      case "network":
        return new EngineError("unavailable", message, { retryable: true, cause: error });
      case "http":
        return new EngineError(
          error.status === 429 || (error.status !== undefined && error.status >= 500) ? "unavailable" : "engine_error",
          message,
          { retryable: true, cause: error },
        );
      case "invalid_response":
        return new EngineError("engine_error", message, { retryable: true, cause: error });
      case "graphql":
        return new EngineError("engine_error", message, { retryable: false, cause: error });
    }
  }
  return new EngineError("engine_error", redact(`Railway ${step} failed: ${(error as Error)?.message ?? "unknown"}`), {
    cause: error,
  });
}

/** Railway's "… not found" refusal (a deleted or never-created service, deployment or volume). */
export function isNotFound(error: unknown): boolean {
  const railway = error instanceof EngineError ? error.cause : error;
  return (
    railway instanceof RailwayError &&
    railway.kind === "graphql" &&
    railway.graphqlErrors.some((entry) => /not found/i.test(entry.message))
  );
}
