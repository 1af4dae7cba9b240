import { z } from "zod";

/**
 * The plans table. This is the only definition of plans anywhere in Agentbot: the backend enforces it,
 * the Railway driver sizes services from it, and the web app renders it. Change it here and nowhere else.
 */
export const planIds = ["solo", "collective", "label", "network"] as const;
export const PlanId = z.enum(planIds);
export type PlanId = z.infer<typeof PlanId>;

/** How often a plan is paid: Stripe's recurring intervals, and the length of a USDC period. */
export const billingIntervals = ["month", "year"] as const;
export type BillingInterval = (typeof billingIntervals)[number];

/** Days of trial a first card subscription gets, unless configured otherwise (BILLING_TRIAL_DAYS). */
export const defaultTrialDays = 7;

export interface Plan {
  readonly id: PlanId;
  readonly name: string;
  /** CPU in millicores (1000m = 1 vCPU), as Kubernetes-style engines and Railway limits expect. */
  readonly cpuMillicores: number;
  /** Memory in mebibytes. OpenClaw needs about 1.5–2 GB per agent, so no plan goes below 2048. */
  readonly memoryMb: number;
  /** How many agents an account on this plan may have at once; `null` means no limit. */
  readonly maxAgents: number | null;
  readonly description: string;
  /**
   * The list price in US cents per interval (a year costs ten months). Card charges are whatever the configured
   * Stripe price says (keep those prices equal to these); a USDC period costs exactly this in USDC (1 USDC = 1 USD).
   */
  readonly priceUsdCents: Readonly<Record<BillingInterval, number>>;
}

export const plans: readonly Plan[] = Object.freeze([
  {
    id: "solo",
    priceUsdCents: { month: 1900, year: 19000 },
    name: "Solo",
    cpuMillicores: 1000,
    memoryMb: 2048,
    maxAgents: 1,
    description: "Trial / light workloads only",
  },
  {
    id: "collective",
    priceUsdCents: { month: 4900, year: 49000 },
    name: "Collective",
    cpuMillicores: 2000,
    memoryMb: 4096,
    maxAgents: 3,
    description: "Recommended production floor",
  },
  {
    id: "label",
    priceUsdCents: { month: 14900, year: 149000 },
    name: "Label",
    cpuMillicores: 4000,
    memoryMb: 8192,
    maxAgents: 10,
    description: "Heavy production + browser/tool work",
  },
  {
    id: "network",
    priceUsdCents: { month: 39900, year: 399000 },
    name: "Network",
    cpuMillicores: 8000,
    memoryMb: 16384,
    maxAgents: null,
    description: "High-throughput production",
  },
]);

/** Plans from smallest to largest: an upgrade moves right. */
export function planRank(id: PlanId): number {
  return planIds.indexOf(id);
}

export function getPlan(id: PlanId): Plan {
  const plan = plans.find((candidate) => candidate.id === id);
  if (!plan) throw new Error(`unknown plan ${String(id)}`);
  return plan;
}

/** True when an account on `plan` that already has `currentAgents` may create one more. */
export function planAllowsAnotherAgent(plan: Plan, currentAgents: number): boolean {
  return plan.maxAgents === null || currentAgents < plan.maxAgents;
}
