import type { EngineWorkloadState } from "@agentbot/engine";
import { terminalDeploymentStatuses } from "../operations.ts";

/** Deployment statuses after which polling stops without SUCCESS (FAILED, CRASHED, REMOVED, SKIPPED). */
export const failedDeploymentStatuses: ReadonlySet<string> = new Set(
  terminalDeploymentStatuses.filter((status) => status !== "SUCCESS"),
);
/** Statuses of a deployment that no longer runs anything (a stopped service). */
export const removedDeploymentStatuses: ReadonlySet<string> = new Set(["REMOVED", "REMOVING", "SKIPPED"]);

/**
 * What the engine says about a service from its latest deployment's status (Railway's DeploymentStatus enum). A
 * service without any deployment is stopped. Statuses Railway may add later read as `starting` (not yet known up).
 */
export function workloadStateFor(status: string | undefined): EngineWorkloadState {
  if (status === undefined) return "stopped";
  if (status === "SUCCESS") return "running";
  if (status === "CRASHED" || status === "FAILED") return "crashed";
  if (removedDeploymentStatuses.has(status) || status === "SLEEPING") return "stopped";
  return "starting"; // INITIALIZING, QUEUED, WAITING, NEEDS_APPROVAL, BUILDING, DEPLOYING
}
