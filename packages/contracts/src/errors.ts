import { z } from "zod";

/**
 * Every failure the backend returns has this one shape: `{ error: { code, message, details? } }`.
 * `code` is stable and machine-readable; `message` is for people; `details` carries structured context
 * (for validation failures: the list of offending field paths).
 */
export const errorCodes = [
  "invalid_json",
  "validation_failed",
  "unauthorized",
  "forbidden",
  /** The action needs the person to have typed their password again within the last minutes (API keys never can). */
  "reauthentication_required",
  "not_found",
  "method_not_allowed",
  "conflict",
  /** The user's subscription does not allow this (no active plan, or the plan's agent limit is reached). */
  "subscription_required",
  "plan_limit_reached",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "service_unavailable",
  "internal_error",
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ValidationIssue = z
  .object({
    /** Where the problem is: `body.name`, `query.limit`, `params.id`, `body.channels.0.token`. */
    path: z.string(),
    message: z.string(),
    code: z.string(),
  })
  .meta({ id: "ValidationIssue" });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code", example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `details` of a `validation_failed` error. */
export const ValidationErrorDetails = z.object({ issues: z.array(ValidationIssue) });
export type ValidationErrorDetails = z.infer<typeof ValidationErrorDetails>;

/**
 * Turns zod issues into `{ path, message, code }` with a dotted path prefixed by where the value came from,
 * so a client can put the message next to the right field.
 */
export function toValidationIssues(
  source: "body" | "query" | "params" | "response",
  issues: readonly z.core.$ZodIssue[],
) {
  return issues.map((issue): ValidationIssue => ({
    path: [source, ...issue.path.map((segment) => String(segment))].join("."),
    message: issue.message,
    code: issue.code,
  }));
}
