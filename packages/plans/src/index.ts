export { getPlan, planAllowsAnotherAgent, PlanId, planIds, plans } from "./plans.ts";
export type { Plan } from "./plans.ts";
export { formatCpu, formatMaxAgents, formatMemory } from "./format.ts";
