import { randomBytes } from "node:crypto";
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

export type Env = Omit<z.infer<typeof EnvSchema>, "BACKEND_SERVICE_TOKEN"> & {
  /** Always set: the configured token, or (development only) a random one nobody knows. */
  readonly BACKEND_SERVICE_TOKEN: string;
  readonly serviceTokenWasGenerated: boolean;
};

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
  if (!result.success || problems.length > 0) throw new EnvError(problems);
  const generated = result.data.BACKEND_SERVICE_TOKEN === undefined;
  return {
    ...result.data,
    BACKEND_SERVICE_TOKEN: result.data.BACKEND_SERVICE_TOKEN ?? randomBytes(32).toString("base64url"),
    serviceTokenWasGenerated: generated,
  };
}

export function loadEnv(): Env {
  return parseEnv(process.env);
}
