import type { AgentsBackendOptions } from "../../apps/backend/test/support/agents-backend.ts";
import { agentSubsystemSettingsFrom } from "../../apps/backend/src/agents/agent-config.ts";
import { parseEnv } from "../../apps/backend/src/env.ts";

/**
 * The settings a real backend runs with (its env defaults through the backend's own parseEnv/agentConfigFrom, so the
 * benchmark follows them when they change), for `startAgentsBackend`. The test harness's defaults are tuned for fast
 * tests (200 ms health polls, 200 ms slot retries, 60 s deadlines); a benchmark must measure what production does.
 *
 * Not covered: the harness's PostgreSQL pool is 8 connections (production DATABASE_POOL_SIZE defaults to 10), and
 * its logger writes debug lines to memory instead of info lines to stdout.
 */
export function productionSettings() {
  const env = parseEnv({
    // Only parsed, never connected to: the harness brings its own database.
    DATABASE_URL: "postgresql://unused@127.0.0.1:5432/unused",
    AGENTBOT_LOCAL_RUNTIME: "fake",
    // Agents on the platform provider need a model endpoint in their config; the fake runtime never calls it.
    PLATFORM_MODEL_BASE_URL: "http://127.0.0.1:9/v1",
    PLATFORM_MODEL_TOKEN_SECRET: "bench-platform-model-token-secret-0123456789",
  });
  const { slots, config, health, workerConcurrency } = agentSubsystemSettingsFrom(env);
  const settings = { slots, config, health, workerConcurrency };
  return settings satisfies AgentsBackendOptions;
}
