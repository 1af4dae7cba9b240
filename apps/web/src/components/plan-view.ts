import type { PlanSummary } from "@agentbot/contracts";
import { formatCpu, formatMaxAgents, formatMemory } from "@agentbot/plans";

/** A plan as the page shows it: the backend's figures, formatted the way the product's plan table writes them. */
export interface PlanView {
  readonly id: PlanSummary["id"];
  readonly name: string;
  readonly cpu: string;
  readonly memory: string;
  readonly maxAgents: string;
  readonly description: string;
  readonly recommended: boolean;
}

/** The plan the product recommends as the production floor. */
export const recommendedPlanId: PlanSummary["id"] = "collective";

export function toPlanView(plan: PlanSummary): PlanView {
  return {
    id: plan.id,
    name: plan.name,
    cpu: formatCpu(plan),
    memory: formatMemory(plan),
    maxAgents: formatMaxAgents(plan),
    description: plan.description,
    recommended: plan.id === recommendedPlanId,
  };
}
