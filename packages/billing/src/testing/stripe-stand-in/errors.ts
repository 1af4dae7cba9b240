/**
 * Stripe's error answer: `{ "error": { type, code?, message, param?, doc_url? } }` with the HTTP status Stripe uses.
 * The stripe SDK turns these into its own error classes by `type` and status (StripeInvalidRequestError,
 * StripeAuthenticationError, StripeIdempotencyError), so callers see exactly what they would see from Stripe.
 */
export interface StripeErrorBody {
  readonly type: "invalid_request_error" | "idempotency_error" | "api_error";
  readonly message: string;
  readonly code?: string;
  readonly param?: string;
  readonly doc_url?: string;
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;

  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

function docUrl(code: string): string {
  return `https://docs.stripe.com/error-codes/${code.replaceAll("_", "-")}`;
}

/** A request Stripe refuses (400 unless told): bad, missing or unknown parameters. */
export function invalidRequest(message: string, options: { code?: string; param?: string; status?: number } = {}) {
  return new StripeApiError(options.status ?? 400, {
    type: "invalid_request_error",
    message,
    ...(options.code === undefined ? {} : { code: options.code, doc_url: docUrl(options.code) }),
    ...(options.param === undefined ? {} : { param: options.param }),
  });
}

/**
 * "No such customer: 'cus_x'". Stripe answers 404 when the missing object is the one addressed by the URL (`param`
 * "id") and 400 when a parameter names it (`line_items[0][price]`).
 */
export function noSuch(kind: string, id: string, param: string): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, {
    code: "resource_missing",
    param,
    status: param === "id" ? 404 : 400,
  });
}

export function idempotencyError(message: string): StripeApiError {
  return new StripeApiError(400, { type: "idempotency_error", message });
}
