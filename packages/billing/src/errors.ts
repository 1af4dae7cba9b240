export type BillingErrorCode =
  "not_configured" | "plan_unavailable" | "already_subscribed" | "no_customer" | "not_found" | "invalid_state";

/** A billing request that cannot be carried out, with a code the web app turns into an answer and a readable message. */
export class BillingError extends Error {
  override name = "BillingError";
  readonly code: BillingErrorCode;
  constructor(code: BillingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
