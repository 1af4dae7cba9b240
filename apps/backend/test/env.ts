import { z } from "zod";

// Integration tests need a real Redis; `./agentbot test` provides one. Missing is a failure, never a skip.
const parsed = z.object({ AGENTBOT_TEST_REDIS_URL: z.url() }).safeParse(process.env);
if (!parsed.success) {
  throw new Error(
    "AGENTBOT_TEST_REDIS_URL is not set: run the tests with `./agentbot test` (it starts PostgreSQL and Redis), " +
      "or set AGENTBOT_TEST_REDIS_URL and AGENTBOT_TEST_DATABASE_URL yourself.",
  );
}
export const testRedisUrl = parsed.data.AGENTBOT_TEST_REDIS_URL;

/** The environment a spawned backend inherits (PATH and friends), without anything the test sets itself. */
export function inheritedEnvironment(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "npm_config_nodedir"];
  return Object.fromEntries(keep.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key]]])));
}

/** Plants a variable in this test process's own environment (to prove it never reaches a child workload). */
export function setProcessVariable(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
