import type { ErrorCode } from "@agentbot/contracts";

/** An error that becomes a response with the standard error body. Throw it from any handler. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: unknown;
  /** Sent as `Retry-After` (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    details?: unknown,
    options: { readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
