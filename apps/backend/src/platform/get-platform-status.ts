import type { PlatformStatus } from "@agentbot/contracts";
import type { AppDeps } from "../app-deps.ts";
import { checkDependencies, failingDependencies } from "../health/check-dependencies.ts";

export async function getPlatformStatus(deps: AppDeps): Promise<PlatformStatus> {
  const checks = await checkDependencies(deps, deps.readinessTimeoutMs);
  const now = deps.now();
  return {
    status: failingDependencies(checks).length === 0 ? "operational" : "degraded",
    version: deps.version,
    environment: deps.environment,
    startedAt: deps.startedAt.toISOString(),
    uptimeSeconds: Math.max(0, Math.floor((now.getTime() - deps.startedAt.getTime()) / 1000)),
    checks,
  };
}
