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
