import type { BillingInterval, Plan } from "./plans.ts";

/** "1 vCPU (1000m)" — how the product describes CPU. */
export function formatCpu(plan: Pick<Plan, "cpuMillicores">): string {
  const vcpus = plan.cpuMillicores / 1000;
  return `${vcpus} vCPU (${plan.cpuMillicores}m)`;
}

/** "2 GB" — memory in whole GiB, as the product's plan table shows it. */
export function formatMemory(plan: Pick<Plan, "memoryMb">): string {
  return `${plan.memoryMb / 1024} GB`;
}

export function formatMaxAgents(plan: Pick<Plan, "maxAgents">): string {
  return plan.maxAgents === null ? "Unlimited" : String(plan.maxAgents);
}

/** "$19 / month", "$1,490 / year": whole dollars shown without cents. */
export function formatPrice(plan: Pick<Plan, "priceUsdCents">, interval: BillingInterval): string {
  const cents = plan.priceUsdCents[interval];
  const dollars = cents % 100 === 0 ? (cents / 100).toLocaleString("en-US") : (cents / 100).toFixed(2);
  return `$${dollars} / ${interval}`;
}
