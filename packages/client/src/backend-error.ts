/**
 * A failed backend call. `code` is the backend's stable error code, or one of the client's own:
 * - `backend_unreachable`: no HTTP answer came back (refused, reset, timed out before the answer's headers);
 * - `invalid_response`: the answer (or one streamed event) did not match the contract;
 * - `stream_interrupted`: a stream that had started broke off before the backend ended it.
 */
export class BackendError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** From the answer's `Retry-After` header (429 and 503 answers), in whole seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    retryAfterSeconds?: number | undefined;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = "BackendError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** `Retry-After` as seconds from now: either delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
