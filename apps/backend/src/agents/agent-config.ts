import { randomBytes } from "node:crypto";
import type { Env } from "../env.ts";
import type { AgentConfig } from "./agent-services.ts";
import { healthDeadlineFor } from "./engine-factory.ts";

/** Every operation must end within this long of being requested (queue wait included). */
const OPERATION_DEADLINE_MS = 30 * 60_000;

export function agentConfigFrom(env: Env): AgentConfig {
  return {
    defaultRuntimeVersion: env.AGENTBOT_RUNTIME_VERSION,
    queuePerUserCap: env.QUEUE_PER_USER_CAP,
    operationDeadlineMs: OPERATION_DEADLINE_MS,
    healthDeadlineMs: healthDeadlineFor(env),
    leaseMs: env.SLOT_LEASE_MS,
    slotRetryMs: 1_000,
    engineRetryLimit: 3,
    engineRetryBaseDelayMs: 5_000,
    platformModel: env.PLATFORM_MODEL_BASE_URL
      ? {
          baseUrl: env.PLATFORM_MODEL_BASE_URL,
          // Without a configured secret the per-agent tokens only hold for this process (development).
          tokenSecret: env.PLATFORM_MODEL_TOKEN_SECRET ?? randomBytes(32).toString("base64url"),
        }
      : null,
    controlUiOrigins: env.PUBLIC_WEB_URL ? [new URL(env.PUBLIC_WEB_URL).origin] : [],
  };
}

/** Everything the agents subsystem takes from configuration (main.ts, and the benchmarks' production settings). */
export function agentSubsystemSettingsFrom(env: Env) {
  return {
    workerConcurrency: env.WORKER_CONCURRENCY,
    slots: { globalLimit: env.SLOTS_GLOBAL_LIMIT, perUserLimit: env.SLOTS_PER_USER_LIMIT, leaseMs: env.SLOT_LEASE_MS },
    config: agentConfigFrom(env),
    health: {
      intervalMs: env.HEALTH_POLL_INTERVAL_MS,
      degradedAfter: env.HEALTH_DEGRADED_AFTER,
      autoRestartLimit: env.AUTO_RESTART_LIMIT,
      autoRestartBaseDelayMs: env.AUTO_RESTART_BASE_DELAY_MS,
      // Probes in flight at once and each probe's budget: one slow runtime must not stall a cycle.
      concurrency: 64,
      probeTimeoutMs: 3_000,
    },
    reconcile: { intervalMs: env.RECONCILE_INTERVAL_MS, orphanGraceMs: env.ORPHAN_GRACE_MS },
    slotKeyPrefix: env.REDIS_SLOT_KEY_PREFIX,
  };
}
