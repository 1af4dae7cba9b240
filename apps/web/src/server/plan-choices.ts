import "server-only";
import { formatCpu, formatMaxAgents, formatMemory, formatPrice, plans } from "@agentbot/plans";
import type { PlanChoiceView } from "../components/billing/plan-chooser.tsx";
import { billing } from "./billing.ts";

/** The plans table with its prices and which intervals this installation sells by card. */
export function planChoices(currentPlan: string | null): PlanChoiceView[] {
  const { config } = billing();
  return plans.map((plan) => ({
    id: plan.id,
    name: plan.name,
    description: plan.description,
    resources: `${formatCpu(plan)} and ${formatMemory(plan)}`,
    maxAgents: plan.maxAgents === null ? "unlimited agents" : `up to ${formatMaxAgents(plan)} agents`,
    price: { month: formatPrice(plan, "month"), year: formatPrice(plan, "year") },
    card: {
      month: config.stripe !== null && config.catalog.cardAvailable(plan.id, "month"),
      year: config.stripe !== null && config.catalog.cardAvailable(plan.id, "year"),
    },
    current: plan.id === currentPlan,
  }));
}
