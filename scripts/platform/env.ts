import { z } from "zod";

/**
 * Configuration of `./agentbot start` and `./agentbot test`: the only file under scripts/platform that reads
 * `process.env` (lint enforces it). Parsed once; a malformed variable stops the command with a message naming it.
 */
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65_535).default(fallback));

const PlatformEnvSchema = z.object({
  /** An existing PostgreSQL. Unset: embedded PostgreSQL (data in .data/postgres for start, a temp dir for test). */
  DATABASE_URL: optional(
    z.url().refine((url) => /^postgres(ql)?:\/\//.test(url), "must start with postgresql:// or postgres://"),
  ),
  /** An existing Redis. Unset: start uses none (in-process stand-ins); test starts a redis-server. */
  REDIS_URL: optional(z.url().refine((url) => /^rediss?:\/\//.test(url), "must start with redis:// or rediss://")),
  /** Shared by backend and web. Unset: generated once and kept in .data/secrets.json (mode 0600). */
  BACKEND_SERVICE_TOKEN: optional(z.string().min(32, "must be at least 32 characters (use 32+ random bytes)")),
  /** Passed to the web app. Unset: generated once and kept in .data/secrets.json (mode 0600). */
  BETTER_AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (use 32+ random bytes)")),
  /** Passed to the backend. Unset: generated once and kept in .data/secrets.json (mode 0600). */
  SECRETS_ENCRYPTION_KEYS: optional(z.string().min(1)),
  PLATFORM_MODEL_TOKEN_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  /** Passed to the backend: where local agents keep their state. Default: .data/agents. */
  AGENTBOT_AGENTS_DIR: optional(z.string().min(1)),
  /** Passed to the web app: comma-separated emails that become admins. */
  ADMIN_EMAILS: optional(z.string()),
  /** Passed to the web app: send email through Resend instead of the local outbox (and EMAIL_FROM, the sender). */
  RESEND_API_KEY: optional(z.string().min(1)),
  EMAIL_FROM: optional(z.string().min(3)),
  /** Read only to say whether card / USDC payment is on; the web app and backend validate every billing variable. */
  STRIPE_SECRET_KEY: optional(z.string().min(1)),
  CDP_API_KEY_ID: optional(z.string().min(1)),
  /** Where start keeps its lock, secrets and PostgreSQL data. Default: .data in the repository. */
  AGENTBOT_DATA_DIR: optional(z.string().min(1)),
  /**
   * As root only: where embedded PostgreSQL's binaries and data go when the 'postgres' user (PostgreSQL refuses root)
   * cannot reach them in the checkout, e.g. under /root (mode 700). Default: /var/lib/agentbot.
   */
  AGENTBOT_SYSTEM_DIR: optional(z.string().min(1)),
  /** Port of start's embedded PostgreSQL (fixed, so the data directory keeps one address). */
  AGENTBOT_POSTGRES_PORT: port(54320),
  AGENTBOT_BACKEND_PORT: port(4000),
  AGENTBOT_WEB_PORT: port(3000),
  /**
   * Internal, for the orchestrator's own tests: `start` skips building and running the web app (same as
   * `./agentbot start --no-web`).
   */
  AGENTBOT_START_SKIP_WEB: optional(z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true")),
  /** A Chromium/Chrome binary for browser tests instead of Debian's /usr/bin/chromium. */
  AGENTBOT_CHROMIUM_PATH: optional(z.string().min(1)),
  /** Passed to the backend as is. */
  LOG_LEVEL: optional(z.string().min(1)),
  /** https://no-color.org */
  NO_COLOR: optional(z.string()),
});

export type PlatformEnv = z.infer<typeof PlatformEnvSchema>;

export function loadPlatformEnv(): PlatformEnv {
  const result = PlatformEnvSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${issue.path.join(".") || "(environment)"} ${issue.message}`,
    );
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  return result.data;
}

/**
 * The environment for a child process: this process's environment with `overrides` applied (undefined removes a
 * variable). Children get PATH (with the project's Node 24 first) and everything else the user set.
 */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Sets a variable in this process's environment so that every process started from now on inherits it (children
 * that copy the environment, and their children in turn). The supervisor uses it to find leftovers.
 */
export function setInheritedVariable(name: string, value: string): void {
  process.env[name] = value;
}
