/** The orchestrator tests' only access to the environment: what a spawned `./agentbot start` inherits. */

/**
 * This process's environment without the variables that would change what `start` does (so it always uses embedded
 * PostgreSQL and no Redis), plus `overrides`.
 */
export function startEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("AGENTBOT_") || ["DATABASE_URL", "REDIS_URL", "BACKEND_SERVICE_TOKEN"].includes(key)) {
      delete env[key];
    }
  }
  return { ...env, NO_COLOR: "1", ...overrides };
}
