export {
  billingIntervals,
  defaultTrialDays,
  getPlan,
  planAllowsAnotherAgent,
  PlanId,
  planIds,
  planRank,
  plans,
} from "./plans.ts";
export type { BillingInterval, Plan } from "./plans.ts";
export { formatCpu, formatMaxAgents, formatMemory, formatPrice } from "./format.ts";
