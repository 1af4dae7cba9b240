// @agentbot/billing: what a plan costs, who is entitled to what, when agents are suspended, and the Stripe and Coinbase
// CDP (USDC on Base) paths that change it. Nothing else decides entitlement: the web app's webhook routes and pages
// and the backend's billing worker call this package.
export { billingConfigFromEnv, billingEnvShape, stripePriceVariables } from "./config.ts";
export type { BillingConfig, BillingEnv, StripeBillingConfig, UsdcBillingConfig } from "./config.ts";
export { BillingError } from "./errors.ts";
export type { BillingErrorCode } from "./errors.ts";
export { createBillingCatalog } from "./rules/catalog.ts";
export type { BillingCatalog, StripePriceIds } from "./rules/catalog.ts";
export { decideEnforcement, graceEndsAt } from "./rules/enforcement.ts";
export type { EnforcementDecision, SuspensionReason } from "./rules/enforcement.ts";
export {
  effectiveStatuses,
  isEntitled,
  noEntitlement,
  resolveEntitlement,
  statusOfStripe,
} from "./rules/entitlement.ts";
export type { EffectiveStatus, Entitlement, EntitlementSources } from "./rules/entitlement.ts";
export {
  formatUsdCents,
  formatUsdc,
  parseBaseUnits,
  USDC_DECIMALS,
  usdcDecimalString,
  usdcForCents,
} from "./rules/money.ts";
export { recordBillingEvent } from "./store/billing-events.ts";
export { BILLING_TASKS_CHANNEL, enqueueBillingTask } from "./store/billing-tasks.ts";
export type { BillingEmail, BillingTaskInput } from "./store/billing-tasks.ts";
export { refreshDueEntitlements } from "./store/refresh-due.ts";
export { currentEntitlement, loadEntitlementSources, refreshEntitlement } from "./store/refresh-entitlement.ts";
export { startCheckout } from "./stripe/checkout.ts";
export type { StartCheckoutInput } from "./stripe/checkout.ts";
export { openBillingPortal } from "./stripe/portal.ts";
export { createStripeClient } from "./stripe/stripe-client.ts";
export type { Stripe, StripeConnection } from "./stripe/stripe-client.ts";
export { applyStripeEvent } from "./stripe/apply-stripe-event.ts";
export type { StripeEventDeps, StripeEventOutcome } from "./stripe/apply-stripe-event.ts";
export { receiveStripeWebhook } from "./stripe/receive-stripe-webhook.ts";
export type { ReceiveStripeWebhookDeps, ReceiveStripeWebhookResult } from "./stripe/receive-stripe-webhook.ts";
export {
  processPendingStripeEvents,
  processStripeEvent,
  STRIPE_EVENT_MAX_ATTEMPTS,
  StripeEventFailedError,
} from "./stripe/stripe-inbox.ts";
export type { StripeInboxDeps, StripeInboxDrain, StripeInboxOutcome } from "./stripe/stripe-inbox.ts";
export { verifyCdpWebhookSignature } from "./cdp/webhook-signature.ts";
export { handleCdpWebhook } from "./usdc/cdp-webhook.ts";
export type { CdpWebhookDeps, CdpWebhookResult, TransferOutcome } from "./usdc/cdp-webhook.ts";
export { createUsdcInvoice } from "./usdc/create-usdc-invoice.ts";
export type { DepositAddressProvider, UsdcDeps } from "./usdc/create-usdc-invoice.ts";
export { createUsdcDeps } from "./usdc/usdc-deps.ts";
export { expireUsdcInvoices } from "./usdc/expire-invoices.ts";
export { periodEnd } from "./usdc/billing-period.ts";
export { sendUsdcRenewals } from "./usdc/renewals.ts";
export { sameAddress, usdcNetworks } from "./usdc/usdc-networks.ts";
export type { UsdcNetwork } from "./usdc/usdc-networks.ts";
export { grantPlan, revokePlanGrant } from "./admin/plan-grants.ts";
export { resolveUsdcTransfer } from "./admin/resolve-transfer.ts";
export { listReceipts, resendReceipt } from "./admin/resend-receipt.ts";
