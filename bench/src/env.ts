// The benchmarks' one env module (lint allows process.env only here). Imported FIRST by every benchmark entry: the
// backend's test harness reads AGENTBOT_TEST_REDIS_URL when its module is evaluated, so the defaults below must be
// in place before that import runs (ES modules evaluate their imports in order).
//
// Unlike tests (where a missing variable fails), a benchmark defaults to the local services, and says so.

const LOCAL_DEFAULTS = {
  AGENTBOT_TEST_DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
  AGENTBOT_TEST_REDIS_URL: "redis://127.0.0.1:6379",
} as const;

const defaulted: string[] = [];
for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) {
  if (process.env[name] === undefined || process.env[name] === "") {
    process.env[name] = value;
    defaulted.push(`${name}=${value}`);
  }
}
if (defaulted.length > 0) {
  process.stderr.write(`bench: not set, using the local services: ${defaulted.join(", ")}\n`);
}

/** Where the benchmark's PostgreSQL (admin URL) and Redis are, after defaults. */
export const benchServices = {
  databaseUrl: process.env.AGENTBOT_TEST_DATABASE_URL ?? LOCAL_DEFAULTS.AGENTBOT_TEST_DATABASE_URL,
  redisUrl: process.env.AGENTBOT_TEST_REDIS_URL ?? LOCAL_DEFAULTS.AGENTBOT_TEST_REDIS_URL,
  defaulted,
};

/** The Chromium the browser benchmarks drive: AGENTBOT_CHROMIUM_PATH, else Debian's. */
export const benchChromiumPath = process.env.AGENTBOT_CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * This process's environment for a child that gets its configuration from the benchmark alone: every variable whose
 * name starts with one of `prefixes` (or equals one) is left out, so a stray STRIPE_PRICE_… or DATABASE_URL in the
 * caller's shell cannot change what is measured. PATH, HOME, TMPDIR and the like are kept.
 */
export function inheritedEnvWithout(prefixes: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || prefixes.some((prefix) => name.startsWith(prefix))) continue;
    kept[name] = value;
  }
  return kept;
}
