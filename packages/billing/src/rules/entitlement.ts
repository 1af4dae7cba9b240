import { PlanId, planRank } from "@agentbot/plans";

/**
 * A user's plan and status in force, from everything that can entitle them. Pure: the caller loads the sources and
 * stores the answer (User.plan, User.subscriptionStatus). Precedence:
 * 1. an admin's grant in force (the largest plan among them): status `active`;
 * 2. otherwise the largest plan among entitling sources: a Stripe subscription that is `trialing` or `active`, a paid
 *    USDC period that covers now;
 * 3. otherwise the most recent non-entitling state (a Stripe subscription `past_due`, `unpaid`, `paused`,
 *    `incomplete`, `canceled`, or a USDC period that ran out: `expired`), keeping its plan for display;
 * 4. otherwise `none`.
 */

export const effectiveStatuses = [
  "none",
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "paused",
  "incomplete",
  "expired",
] as const;
export type EffectiveStatus = (typeof effectiveStatuses)[number];

/** Statuses under which agents may be created and run. */
export function isEntitled(status: string): boolean {
  return status === "trialing" || status === "active";
}

export interface StripeSubscriptionSource {
  readonly id: string;
  /** Stripe's own status string. */
  readonly status: string;
  readonly plan: string;
  readonly currentPeriodEnd: Date | null;
  readonly trialEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
  /** When we last stored Stripe's state of it (orders non-entitling states by recency). */
  readonly updatedAt: Date;
}

export interface UsdcPeriodSource {
  readonly invoiceId: string;
  readonly plan: string;
  readonly periodStart: Date;
  readonly periodEnd: Date;
}

export interface PlanGrantSource {
  readonly id: string;
  readonly plan: string;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface EntitlementSources {
  readonly stripe: readonly StripeSubscriptionSource[];
  readonly usdc: readonly UsdcPeriodSource[];
  readonly grants: readonly PlanGrantSource[];
}

export type EntitlementSourceRef =
  | { readonly kind: "stripe"; readonly id: string }
  | { readonly kind: "usdc"; readonly id: string }
  | { readonly kind: "grant"; readonly id: string };

export interface Entitlement {
  readonly plan: PlanId | null;
  readonly status: EffectiveStatus;
  readonly source: EntitlementSourceRef | null;
  /** When the current period (or grant) ends, if it does. */
  readonly periodEnd: Date | null;
  readonly trialEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
}

export const noEntitlement: Entitlement = {
  plan: null,
  status: "none",
  source: null,
  periodEnd: null,
  trialEnd: null,
  cancelAtPeriodEnd: false,
};

/** Stripe's statuses as ours; anything Stripe adds later counts as `incomplete` (not entitling) until handled. */
export function statusOfStripe(stripeStatus: string): EffectiveStatus {
  switch (stripeStatus) {
    case "trialing":
    case "active":
    case "past_due":
    case "unpaid":
    case "canceled":
    case "paused":
    case "incomplete":
      return stripeStatus;
    case "incomplete_expired":
      return "canceled";
    default:
      return "incomplete";
  }
}

interface Candidate {
  readonly entitlement: Entitlement;
  /** Orders candidates of the same plan (later period end first) and non-entitling ones (most recent first). */
  readonly at: number;
}

function parsePlan(plan: string): PlanId | null {
  const parsed = PlanId.safeParse(plan);
  return parsed.success ? parsed.data : null;
}

/** Compares two candidates by `at`, then by source id, so the answer never depends on the order of the sources. */
function later(a: Candidate, b: Candidate): boolean {
  if (a.at !== b.at) return a.at > b.at;
  return (a.entitlement.source?.id ?? "") > (b.entitlement.source?.id ?? "");
}

function largest(candidates: readonly Candidate[]): Entitlement | null {
  let best: Candidate | null = null;
  for (const candidate of candidates) {
    const rank = candidate.entitlement.plan === null ? -1 : planRank(candidate.entitlement.plan);
    const bestRank = best?.entitlement.plan == null ? -1 : planRank(best.entitlement.plan);
    if (best === null || rank > bestRank || (rank === bestRank && later(candidate, best))) best = candidate;
  }
  return best?.entitlement ?? null;
}

export function resolveEntitlement(sources: EntitlementSources, now: Date): Entitlement {
  const at = now.getTime();

  const grants: Candidate[] = [];
  for (const grant of sources.grants) {
    const plan = parsePlan(grant.plan);
    const inForce =
      plan !== null &&
      grant.revokedAt === null &&
      grant.startsAt.getTime() <= at &&
      (grant.endsAt === null || grant.endsAt.getTime() > at);
    if (!inForce) continue;
    grants.push({
      entitlement: {
        plan,
        status: "active",
        source: { kind: "grant", id: grant.id },
        periodEnd: grant.endsAt,
        trialEnd: null,
        cancelAtPeriodEnd: false,
      },
      at: grant.endsAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
    });
  }
  const granted = largest(grants);
  if (granted !== null) return granted;

  const entitling: Candidate[] = [];
  const lapsed: Candidate[] = [];
  for (const subscription of sources.stripe) {
    const status = statusOfStripe(subscription.status);
    const entitlement: Entitlement = {
      plan: parsePlan(subscription.plan),
      status,
      source: { kind: "stripe", id: subscription.id },
      periodEnd: subscription.currentPeriodEnd,
      trialEnd: subscription.trialEnd,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
    };
    if (isEntitled(status) && entitlement.plan !== null) {
      entitling.push({ entitlement, at: subscription.currentPeriodEnd?.getTime() ?? 0 });
    } else {
      lapsed.push({ entitlement, at: subscription.updatedAt.getTime() });
    }
  }
  for (const period of sources.usdc) {
    const plan = parsePlan(period.plan);
    const covers = period.periodStart.getTime() <= at && period.periodEnd.getTime() > at;
    const entitlement: Entitlement = {
      plan,
      status: covers ? "active" : "expired",
      source: { kind: "usdc", id: period.invoiceId },
      periodEnd: period.periodEnd,
      trialEnd: null,
      cancelAtPeriodEnd: false,
    };
    if (covers && plan !== null) entitling.push({ entitlement, at: period.periodEnd.getTime() });
    else if (period.periodEnd.getTime() <= at) lapsed.push({ entitlement, at: period.periodEnd.getTime() });
    // A period that starts later (a renewal paid early) neither entitles nor lapses yet.
  }
  const entitled = largest(entitling);
  if (entitled !== null) return entitled;

  let mostRecent: Candidate | null = null;
  for (const candidate of lapsed) if (mostRecent === null || later(candidate, mostRecent)) mostRecent = candidate;
  return mostRecent?.entitlement ?? noEntitlement;
}

/** Whether two entitlements differ in anything a person would see or that the rules act on. */
export function sameEntitlement(a: Entitlement, b: Entitlement): boolean {
  return (
    a.plan === b.plan &&
    a.status === b.status &&
    a.source?.kind === b.source?.kind &&
    a.source?.id === b.source?.id &&
    a.periodEnd?.getTime() === b.periodEnd?.getTime() &&
    a.trialEnd?.getTime() === b.trialEnd?.getTime() &&
    a.cancelAtPeriodEnd === b.cancelAtPeriodEnd
  );
}
