import type { PlanId } from "@agentbot/plans";

/** What the billing pages render: plain data for client components (no provider ids beyond what the user may see). */

export interface UsdcInvoiceView {
  readonly id: string;
  /** A plan id (a plan retired later stays as its stored id). */
  readonly plan: string;
  readonly planName: string;
  readonly interval: string;
  /** Formatted ("49 USDC"), and the exact decimal string for pasting into a wallet ("49"). */
  readonly amountDue: string;
  readonly amountDueDecimal: string;
  readonly amountReceived: string;
  readonly amountMissing: string | null;
  readonly creditApplied: string | null;
  readonly network: string;
  readonly networkLabel: string;
  readonly usdcContract: string;
  readonly depositAddress: string;
  /** open, paid, expired or void. */
  readonly status: string;
  readonly expiresAt: string;
  readonly paidAt: string | null;
  readonly periodStart: string | null;
  readonly periodEnd: string | null;
  readonly createdAt: string;
}

export interface BillingEventView {
  readonly id: string;
  readonly type: string;
  readonly message: string;
  readonly createdAt: string;
}

export interface BillingOverviewView {
  readonly plan: { readonly id: PlanId; readonly name: string } | null;
  readonly status: string;
  readonly statusLabel: string;
  readonly entitled: boolean;
  /** How the plan is paid: card (Stripe), USDC, or an admin's grant. */
  readonly source: "card" | "usdc" | "grant" | null;
  readonly trialEnd: string | null;
  readonly periodEnd: string | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly graceEndsAt: string | null;
  readonly suspendedAt: string | null;
  readonly usdcCredit: string | null;
  readonly cardConfigured: boolean;
  readonly usdcConfigured: boolean;
  readonly hasCardBilling: boolean;
  /** Stripe events about this customer that arrived and wait for the billing worker (seconds, normally). */
  readonly pendingCardEvents: number;
  readonly trialDays: number;
  readonly invoices: readonly UsdcInvoiceView[];
  readonly events: readonly BillingEventView[];
  readonly agents: {
    readonly total: number;
    readonly maxAgents: number | null;
    /** Agents that run now, by name (after a downgrade, the ones to stop). */
    readonly running: readonly string[];
    /** Agents running with less than the plan in force gives (an upgrade): a redeploy gets the new resources. */
    readonly belowPlan: readonly { readonly id: string; readonly name: string }[];
  };
}
