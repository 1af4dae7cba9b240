import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { billingConfigFromEnv, billingEnvShape } from "@agentbot/billing";
import type { BillingConfig } from "@agentbot/billing";
import { z } from "zod";

/**
 * The backend's configuration: the only place that reads `process.env` (lint enforces it).
 * Parsed once at boot; a missing or malformed variable stops the process with a message naming it.
 */
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const booleanFlag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(["development", "test", "production"]).default("development")),
  /** Port for HTTP. Railway and most hosts set PORT. */
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65_535).default(4000)),
  /** Interface to bind. Loopback by default; set 0.0.0.0 in a container. */
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default("127.0.0.1")),
  /** PostgreSQL connection URL (the source of truth for every record). */
  DATABASE_URL: z
    .url({ message: "must be a URL like postgresql://user:pass@host:5432/db" })
    .refine((url) => /^postgres(ql)?:\/\//.test(url), "must start with postgresql:// or postgres://"),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  /** Redis URL. Unset: in-process stand-ins, correct for a single backend instance only. */
  REDIS_URL: optional(z.url().refine((url) => /^rediss?:\/\//.test(url), "must start with redis:// or rediss://")),
  /**
   * The bearer token every non-probe route requires (service-to-service auth from the web app).
   * Required outside development; at least 32 characters.
   */
  BACKEND_SERVICE_TOKEN: optional(z.string().min(32, "must be at least 32 characters (use 32+ random bytes)")),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  /** Apply committed migrations at boot (under an advisory lock, so concurrent boots are safe). */
  MIGRATE_ON_BOOT: z.preprocess(emptyAsUndefined, booleanFlag.default(true)),
  /** How long each readiness check may take before it counts as failed. */
  READINESS_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(50).max(30_000).default(1_500)),
  /** Reported by /api/status; defaults to the package version (set a git SHA in deployments). */
  AGENTBOT_VERSION: optional(z.string().min(1)),

  // --- Agents: engines, slots, health ---------------------------------------------------------------------------
  /** Where agents run: `local` (OpenClaw child processes on this machine) or `railway`. */
  AGENTBOT_ENGINE: z.preprocess(emptyAsUndefined, z.enum(["local", "railway"]).default("local")),
  /**
   * Which runtime the local engine starts: `openclaw` (the real runtime, installed on first use) or `fake` (a tiny
   * HTTP server speaking the same probes and chat endpoint; tests, benchmarks and demos only).
   */
  AGENTBOT_LOCAL_RUNTIME: z.preprocess(emptyAsUndefined, z.enum(["openclaw", "fake"]).default("openclaw")),
  /** Fake runtime only: how long it waits before answering (tests of what happens mid-provisioning). */
  AGENTBOT_FAKE_RUNTIME_BOOT_DELAY_MS: optional(z.coerce.number().int().min(0).max(600_000)),
  /** Local engine: per-agent state directories and logs. Default: `<repo>/.data/agents`. */
  AGENTBOT_AGENTS_DIR: optional(z.string().min(1)),
  /** Local engine: where runtimes (Node 24 + openclaw) are installed on first use. Default: `<repo>/.data/cache`. */
  AGENTBOT_RUNTIME_CACHE_DIR: optional(z.string().min(1)),
  /** Local engine: first gateway port; agents get ports 120 apart (OpenClaw uses helper ports up to +110). */
  AGENTBOT_LOCAL_PORT_BASE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1024).max(60_000).default(20_000),
  ),
  /** The OpenClaw version new agents get (redeploy can choose another). */
  AGENTBOT_RUNTIME_VERSION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{4}\.\d{1,2}\.\d{1,2}$/)
      .default("2026.9.6"),
  ),
  RAILWAY_API_URL: z.preprocess(emptyAsUndefined, z.url().default("https://backboard.railway.com/graphql/v2")),
  RAILWAY_API_TOKEN: optional(z.string().min(1)),
  RAILWAY_PROJECT_ID: optional(z.string().min(1)),
  RAILWAY_ENVIRONMENT_ID: optional(z.string().min(1)),
  /** The runtime image (docker/runtime.Dockerfile) without tag; the tag is the runtime version. */
  RAILWAY_RUNTIME_IMAGE: z.preprocess(emptyAsUndefined, z.string().min(1).default("ghcr.io/agentbot/runtime")),
  /**
   * AES-256-GCM keys for secrets kept at rest (gateway tokens, provider keys, channel tokens): comma-separated
   * `<version>:<base64 32 bytes>`; the highest version encrypts. Required outside development.
   */
  SECRETS_ENCRYPTION_KEYS: optional(z.string().min(1)),
  /** Deployment slots: how many provisioning jobs may run at once across the platform, and per user. */
  SLOTS_GLOBAL_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(4)),
  SLOTS_PER_USER_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000).default(2)),
  /** Slot lease: expires this long after the holder stops renewing it (a dead worker's slot frees itself). */
  SLOT_LEASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(600_000).default(30_000)),
  /** Prefix of the deployment-slot keys in Redis (several platforms, or tests, can share one Redis). */
  REDIS_SLOT_KEY_PREFIX: z.preprocess(emptyAsUndefined, z.string().min(1).max(100).default("agentbot:")),
  /** Queued operations one user may have waiting; more answer 429 with Retry-After. */
  QUEUE_PER_USER_CAP: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(10)),
  /** Operations the job worker of this process runs at once (waiting for a slot counts). */
  WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000).default(16)),
  /** How long a new runtime may take to answer /healthz and /readyz before the agent fails `health_timeout`. */
  HEALTH_DEADLINE_MS: optional(z.coerce.number().int().min(1_000).max(3_600_000)),
  /** Poll interval for running agents, and failures in a row before `degraded` / an automatic restart. */
  HEALTH_POLL_INTERVAL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(600_000).default(15_000),
  ),
  HEALTH_DEGRADED_AFTER: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(3)),
  /** Automatic restarts (exponential backoff) before an agent fails with `crash_loop`. */
  AUTO_RESTART_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100).default(5)),
  AUTO_RESTART_BASE_DELAY_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  ),
  /** Reconciler period, and how old an engine workload no agent owns must be before it is removed. */
  RECONCILE_INTERVAL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  ),
  ORPHAN_GRACE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(86_400_000).default(600_000)),
  /**
   * The platform's model provider (an OpenAI-compatible endpoint, e.g. the metering proxy) for agents on platform
   * credits. Agents never get the platform's own key: each gets a per-agent token derived from
   * PLATFORM_MODEL_TOKEN_SECRET, which the proxy verifies.
   */
  PLATFORM_MODEL_BASE_URL: optional(z.url()),
  PLATFORM_MODEL_TOKEN_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  /** The dashboard's origin, allowed to open agents' Control UI, and the base of the links in billing emails. */
  PUBLIC_WEB_URL: optional(z.url()),

  // --- Billing (suspension, emails, USDC renewals; same variables as the web app's) -------------------------------
  ...billingEnvShape,
  /** Billing emails go through Resend with this key; unset: into the outbox table (viewable in the dashboard). */
  RESEND_API_KEY: optional(z.string().min(1)),
  EMAIL_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).default("Agentbot <no-reply@agentbot.localhost>")),
  /**
   * The approver's lease on an agent's operator connection: renewed every third of it; when its holder dies, another
   * instance takes the agent over within about this long.
   */
  APPROVER_LEASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_500).max(300_000).default(15_000)),
  /**
   * An approval request still waiting for a human this long after it was raised is emailed to the agent's owner
   * (once per request). The runtime's own expiry is 30 minutes, so the default leaves time to act.
   */
  APPROVAL_NOTIFY_AFTER_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(86_400).default(180),
  ),
  /** How often the billing worker sweeps for grace periods that ended, USDC periods and renewals. */
  BILLING_SWEEP_INTERVAL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(200).max(3_600_000).default(60_000),
  ),
});

/**
 * The token rule depends on NODE_ENV. It is checked on its own (not as a zod refinement, which would only run
 * once every other field is valid) so the startup error lists it together with every other problem.
 */
function serviceTokenProblem(source: Readonly<Record<string, string | undefined>>): string | undefined {
  const nodeEnv = EnvSchema.shape.NODE_ENV.safeParse(source["NODE_ENV"]);
  const token = emptyAsUndefined(source["BACKEND_SERVICE_TOKEN"]);
  if (nodeEnv.success && nodeEnv.data !== "development" && token === undefined) {
    return `BACKEND_SERVICE_TOKEN is required when NODE_ENV=${nodeEnv.data} (the backend refuses to run without service auth)`;
  }
  return undefined;
}

/** Rules across variables: keys outside development, and the Railway settings when that engine is chosen. */
function agentSettingsProblems(source: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  const nodeEnv = EnvSchema.shape.NODE_ENV.safeParse(source["NODE_ENV"]);
  if (nodeEnv.success && nodeEnv.data !== "development" && !emptyAsUndefined(source["SECRETS_ENCRYPTION_KEYS"])) {
    problems.push(
      `SECRETS_ENCRYPTION_KEYS is required when NODE_ENV=${nodeEnv.data} (agent secrets are encrypted at rest with it)`,
    );
  }
  if (source["AGENTBOT_ENGINE"] === "railway") {
    for (const name of ["RAILWAY_API_TOKEN", "RAILWAY_PROJECT_ID", "RAILWAY_ENVIRONMENT_ID"]) {
      if (!emptyAsUndefined(source[name])) problems.push(`${name} is required when AGENTBOT_ENGINE=railway`);
    }
  }
  return problems;
}

export type Env = Omit<z.infer<typeof EnvSchema>, "BACKEND_SERVICE_TOKEN" | "SECRETS_ENCRYPTION_KEYS"> & {
  /** Always set: the configured token, or (development only) a random one nobody knows. */
  readonly BACKEND_SERVICE_TOKEN: string;
  readonly serviceTokenWasGenerated: boolean;
  /** Always set: the configured keys, or (development only) a random key for this process. */
  readonly SECRETS_ENCRYPTION_KEYS: string;
  readonly encryptionKeyWasGenerated: boolean;
  readonly agentsDir: string;
  readonly runtimeCacheDir: string;
  readonly billing: BillingConfig;
};

/** `<repo>/.data/<name>`: where `./agentbot start` keeps local state. */
function repoDataDir(name: string): string {
  return fileURLToPath(new URL(`../../../.data/${name}`, import.meta.url));
}

export class EnvError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid backend configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
    this.problems = problems;
  }
}

/**
 * Validates a set of variables. In development a missing service token is replaced by a random one
 * that nobody knows: every service route stays closed (fail-closed) until a real token is configured.
 */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  const result = EnvSchema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
        return `${name} ${message}`;
      });
  const tokenProblem = serviceTokenProblem(source);
  if (tokenProblem) problems.push(tokenProblem);
  problems.push(...agentSettingsProblems(source));
  let billing: BillingConfig | null = null;
  if (result.success) {
    try {
      billing = billingConfigFromEnv(result.data);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (!result.success || problems.length > 0 || billing === null) throw new EnvError(problems);
  const generated = result.data.BACKEND_SERVICE_TOKEN === undefined;
  return {
    ...result.data,
    BACKEND_SERVICE_TOKEN: result.data.BACKEND_SERVICE_TOKEN ?? randomBytes(32).toString("base64url"),
    serviceTokenWasGenerated: generated,
    SECRETS_ENCRYPTION_KEYS: result.data.SECRETS_ENCRYPTION_KEYS ?? `1:${randomBytes(32).toString("base64")}`,
    encryptionKeyWasGenerated: result.data.SECRETS_ENCRYPTION_KEYS === undefined,
    agentsDir: result.data.AGENTBOT_AGENTS_DIR ?? repoDataDir("agents"),
    runtimeCacheDir: result.data.AGENTBOT_RUNTIME_CACHE_DIR ?? repoDataDir("cache"),
    billing,
  };
}

export function loadEnv(): Env {
  return parseEnv(process.env);
}
