/**
 * A failed backend call. `code` is the backend's stable error code, or `backend_unreachable` when no HTTP
 * answer came back, or `invalid_response` when the answer did not match the contract.
 */
export class BackendError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(init: { status: number; code: string; message: string; details?: unknown; cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.name = "BackendError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }
}
