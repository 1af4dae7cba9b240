import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../src/env.ts";

const databaseUrl = "postgresql://agentbot@127.0.0.1:5432/agentbot";
const goodToken = "x".repeat(32);

function problemsOf(source: Record<string, string | undefined>): readonly string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("backend env", () => {
  it("applies documented defaults", () => {
    const env = parseEnv({
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      BACKEND_SERVICE_TOKEN: goodToken,
      SECRETS_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")}`,
    });
    expect(env).toMatchObject({
      PORT: 4000,
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      MIGRATE_ON_BOOT: true,
      DATABASE_POOL_SIZE: 10,
      AGENTBOT_ENGINE: "local",
      AGENTBOT_LOCAL_RUNTIME: "openclaw",
      AGENTBOT_RUNTIME_VERSION: "2026.9.6",
      SLOTS_GLOBAL_LIMIT: 4,
      SLOTS_PER_USER_LIMIT: 2,
      QUEUE_PER_USER_CAP: 10,
    });
    expect(env.encryptionKeyWasGenerated).toBe(false);
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.serviceTokenWasGenerated).toBe(false);
  });

  it("names every missing or malformed variable at once", () => {
    const problems = problemsOf({
      NODE_ENV: "production",
      PORT: "eighty",
      REDIS_URL: "http://cache",
      LOG_LEVEL: "loud",
    });
    expect(problems.some((problem) => problem.startsWith("DATABASE_URL is required"))).toBe(true);
    expect(problems.some((problem) => problem.startsWith("PORT "))).toBe(true);
    expect(problems.some((problem) => problem.startsWith("REDIS_URL ") && problem.includes("redis://"))).toBe(true);
    expect(problems.some((problem) => problem.startsWith("LOG_LEVEL "))).toBe(true);
    expect(
      problems.some((problem) => problem.startsWith("BACKEND_SERVICE_TOKEN is required when NODE_ENV=production")),
    ).toBe(true);
  });

  it("requires encryption keys outside development, and the Railway settings for that engine", () => {
    const problems = problemsOf({
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      BACKEND_SERVICE_TOKEN: goodToken,
      AGENTBOT_ENGINE: "railway",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SECRETS_ENCRYPTION_KEYS is required when NODE_ENV=production/),
        "RAILWAY_API_TOKEN is required when AGENTBOT_ENGINE=railway",
        "RAILWAY_PROJECT_ID is required when AGENTBOT_ENGINE=railway",
        "RAILWAY_ENVIRONMENT_ID is required when AGENTBOT_ENGINE=railway",
      ]),
    );
    const development = parseEnv({ DATABASE_URL: databaseUrl, NODE_ENV: "development" });
    expect(development.encryptionKeyWasGenerated).toBe(true);
  });

  it("rejects a database URL of the wrong kind", () => {
    expect(problemsOf({ DATABASE_URL: "mysql://root@localhost/db", NODE_ENV: "development" })).toEqual([
      "DATABASE_URL must start with postgresql:// or postgres://",
    ]);
  });

  it("fails closed: a short token is refused, and production or test without a token is refused", () => {
    expect(problemsOf({ DATABASE_URL: databaseUrl, BACKEND_SERVICE_TOKEN: "short" })[0]).toMatch(
      /^BACKEND_SERVICE_TOKEN must be at least 32 characters/,
    );
    expect(problemsOf({ DATABASE_URL: databaseUrl, NODE_ENV: "test" })[0]).toMatch(
      /^BACKEND_SERVICE_TOKEN is required/,
    );
  });

  it("in development without a token, generates an unguessable one instead of opening the routes", () => {
    const first = parseEnv({ DATABASE_URL: databaseUrl, NODE_ENV: "development" });
    const second = parseEnv({ DATABASE_URL: databaseUrl, NODE_ENV: "development" });
    expect(first.serviceTokenWasGenerated).toBe(true);
    expect(first.BACKEND_SERVICE_TOKEN.length).toBeGreaterThanOrEqual(43);
    expect(first.BACKEND_SERVICE_TOKEN).not.toBe(second.BACKEND_SERVICE_TOKEN);
  });

  it("treats empty strings as unset, as shells and .env files produce them", () => {
    const env = parseEnv({ DATABASE_URL: databaseUrl, REDIS_URL: "", PORT: "", BACKEND_SERVICE_TOKEN: goodToken });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.PORT).toBe(4000);
  });
});
