import type { Plan } from "./plans.ts";

/** "1 vCPU (1000m)" — how the product describes CPU. */
export function formatCpu(plan: Plan): string {
  const vcpus = plan.cpuMillicores / 1000;
  return `${vcpus} vCPU (${plan.cpuMillicores}m)`;
}

/** "2 GB" — memory in whole GiB, as the product's plan table shows it. */
export function formatMemory(plan: Plan): string {
  return `${plan.memoryMb / 1024} GB`;
}

export function formatMaxAgents(plan: Plan): string {
  return plan.maxAgents === null ? "Unlimited" : String(plan.maxAgents);
}
