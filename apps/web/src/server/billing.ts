import "server-only";
import {
  billingConfigFromEnv,
  createStripeClient,
  createUsdcDeps,
  currentEntitlement,
  formatUsdc,
  graceEndsAt,
  isEntitled,
  usdcDecimalString,
  usdcNetworks,
} from "@agentbot/billing";
import type { BillingConfig, Stripe, UsdcDeps, UsdcNetwork } from "@agentbot/billing";
import { getPlan, PlanId, planRank } from "@agentbot/plans";
import { env } from "../env.ts";
import type { BillingOverviewView, UsdcInvoiceView } from "../lib/billing-views.ts";
import { services } from "./infra.ts";

/**
 * The web app's billing: configuration from env (validated at boot by env.ts), the Stripe SDK (only when card
 * payment is configured), and the USDC invoice dependencies (only when CDP is configured). One per process.
 */
export interface WebBilling {
  readonly config: BillingConfig;
  readonly stripe: Stripe | null;
  readonly usdc: UsdcDeps | null;
}

const key = Symbol.for("agentbot.web.billing");

export function billing(): WebBilling {
  const holder = globalThis as typeof globalThis & { [key]?: WebBilling };
  holder[key] ??= (() => {
    const config = billingConfigFromEnv(env);
    const { db } = services();
    return {
      config,
      stripe: config.stripe === null ? null : createStripeClient(config.stripe),
      usdc: config.usdc === null ? null : createUsdcDeps(db, config.usdc, config.catalog),
    };
  })();
  return holder[key];
}

const statusLabels: Record<string, string> = {
  none: "No plan",
  trialing: "Trial",
  active: "Active",
  past_due: "Payment past due",
  unpaid: "Unpaid",
  canceled: "Canceled",
  paused: "Paused",
  incomplete: "Payment incomplete",
  expired: "Period ended",
};

export function statusLabel(status: string): string {
  return statusLabels[status] ?? status;
}

export function usdcInvoiceView(invoice: {
  id: string;
  plan: string;
  interval: string;
  amountDue: bigint;
  amountReceived: bigint;
  creditApplied: bigint;
  network: string;
  depositAddress: string;
  status: string;
  expiresAt: Date;
  paidAt: Date | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  createdAt: Date;
}): UsdcInvoiceView {
  const plan = PlanId.safeParse(invoice.plan);
  const network = usdcNetworks[invoice.network as UsdcNetwork];
  const missing = invoice.amountDue - invoice.amountReceived;
  return {
    id: invoice.id,
    plan: invoice.plan,
    planName: plan.success ? getPlan(plan.data).name : invoice.plan,
    interval: invoice.interval,
    amountDue: formatUsdc(invoice.amountDue),
    amountDueDecimal: usdcDecimalString(invoice.amountDue),
    amountReceived: formatUsdc(invoice.amountReceived),
    amountMissing:
      invoice.status === "open" && missing > 0n && invoice.amountReceived > 0n ? formatUsdc(missing) : null,
    creditApplied: invoice.creditApplied > 0n ? formatUsdc(invoice.creditApplied) : null,
    network: invoice.network,
    networkLabel: network?.label ?? invoice.network,
    usdcContract: network?.usdcContract ?? "",
    depositAddress: invoice.depositAddress,
    status: invoice.status,
    expiresAt: invoice.expiresAt.toISOString(),
    paidAt: invoice.paidAt?.toISOString() ?? null,
    periodStart: invoice.periodStart?.toISOString() ?? null,
    periodEnd: invoice.periodEnd?.toISOString() ?? null,
    createdAt: invoice.createdAt.toISOString(),
  };
}

/**
 * Stripe events about this customer that the webhook accepted and the backend's billing worker has not applied yet
 * (every event we act on names the customer on its object). Read from the inbox's pending rows, which are few.
 */
async function pendingStripeEventsOf(customerId: string): Promise<number> {
  const [row] = await services().db.$queryRaw<{ pending: number }[]>`
    SELECT count(*)::int AS pending FROM billing_webhook_events
    WHERE processed_at IS NULL AND provider = 'stripe' AND payload -> 'data' -> 'object' ->> 'customer' = ${customerId}`;
  return row?.pending ?? 0;
}

/** Everything the billing settings page shows for one user. */
export async function billingOverview(userId: string): Promise<BillingOverviewView> {
  const { db } = services();
  const { config } = billing();
  const now = new Date();
  const [entitlement, user, account, invoices, events, agents] = await Promise.all([
    currentEntitlement(db, userId, now),
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { plan: true, subscriptionStatus: true } }),
    db.billingAccount.findUnique({ where: { userId } }),
    db.usdcInvoice.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 20 }),
    db.billingEvent.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 50 }),
    db.agent.findMany({
      where: { userId, deletedAt: null },
      select: { id: true, name: true, status: true, plan: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  // The stored plan and status are what the gate enforces; show those (the entitlement adds the dates).
  const plan = PlanId.safeParse(user.plan);
  const planInForce = plan.success ? getPlan(plan.data) : null;
  const running = agents.filter((agent) => !["stopped", "failed", "deleting"].includes(agent.status));
  return {
    plan: planInForce === null ? null : { id: planInForce.id, name: planInForce.name },
    status: user.subscriptionStatus,
    statusLabel: statusLabel(user.subscriptionStatus),
    entitled: isEntitled(user.subscriptionStatus),
    source:
      entitlement.source === null
        ? null
        : entitlement.source.kind === "stripe"
          ? "card"
          : entitlement.source.kind === "usdc"
            ? "usdc"
            : "grant",
    trialEnd: entitlement.status === "trialing" ? (entitlement.trialEnd?.toISOString() ?? null) : null,
    periodEnd: entitlement.periodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: entitlement.cancelAtPeriodEnd,
    graceEndsAt:
      user.subscriptionStatus === "past_due" && account?.pastDueSince
        ? graceEndsAt(account.pastDueSince, config.gracePeriodMs).toISOString()
        : null,
    suspendedAt: account?.suspendedAt?.toISOString() ?? null,
    usdcCredit: account && account.usdcCredit > 0n ? formatUsdc(account.usdcCredit) : null,
    cardConfigured: config.stripe !== null,
    usdcConfigured: config.usdc !== null,
    hasCardBilling: Boolean(account?.stripeCustomerId),
    pendingCardEvents: account?.stripeCustomerId ? await pendingStripeEventsOf(account.stripeCustomerId) : 0,
    trialDays: config.trialDays,
    invoices: invoices.map(usdcInvoiceView),
    events: events.map((event) => ({
      id: event.id,
      type: event.type,
      message: event.message,
      createdAt: event.createdAt.toISOString(),
    })),
    agents: {
      total: agents.length,
      maxAgents: planInForce?.maxAgents ?? null,
      running: running.map((agent) => agent.name),
      belowPlan:
        planInForce === null
          ? []
          : agents
              .filter((agent) => {
                const current = PlanId.safeParse(agent.plan);
                return current.success && planRank(current.data) < planRank(planInForce.id);
              })
              .map((agent) => ({ id: agent.id, name: agent.name })),
    },
  };
}
