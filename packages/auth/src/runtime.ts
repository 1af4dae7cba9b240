// What every part of this package shares: the validated config, the stores, the rate limiters, logging, and the
// background-task tracker for email sends.
import { createHash } from "node:crypto";
import { inspect } from "node:util";
import type { BotCheck } from "@agentbot/bot-check";
import type { Db } from "@agentbot/db";
import type { EmailProvider } from "@agentbot/email";
import { createRateLimiter } from "@agentbot/kv";
import type { KeyValueStore, RateLimiter } from "@agentbot/kv";
import { recordAuditEvent } from "./audit.ts";
import type { RecordAuditEventInput } from "./audit.ts";
import { requestMeta } from "./client-ip.ts";
import type { RequestMeta } from "./client-ip.ts";
import type { AuthConfig, RateLimitName } from "./config.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Where this package (and better-auth inside it) logs. pino's logger fits. Messages are redacted first. */
export interface AuthLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AuthRuntime {
  readonly config: AuthConfig;
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly email: EmailProvider;
  readonly botCheck: BotCheck;
  readonly limiters: Record<RateLimitName, RateLimiter>;
  log(level: LogLevel, message: string, ...args: unknown[]): void;
  /** Runs `task` after the response (email sends), tracked so `settled()` can wait for it. Errors are logged. */
  defer(what: string, task: () => Promise<unknown>): void;
  settled(): Promise<void>;
  meta(headers: Headers | undefined): RequestMeta;
  /** Writes an audit event; a failure is logged, never thrown (an audit outage must not lock everyone out). */
  audit(input: RecordAuditEventInput): Promise<void>;
}

/**
 * API keys (`agb_` + 64 letters) never reach a log line, whatever logs them: better-auth, a library error, us.
 * Session tokens are not logged by anything here; cookies are never logged.
 */
export function redactSecrets(text: string): string {
  return text.replace(/agb_[A-Za-z0-9]{4,}/g, "agb_[redacted]");
}

export function emailKey(email: string): string {
  // Rate-limit keys carry a hash, not the address, so Redis holds no email addresses.
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}

export function createRuntime(input: {
  config: AuthConfig;
  db: Db;
  kv: KeyValueStore;
  email: EmailProvider;
  botCheck: BotCheck;
  logger?: AuthLogger | undefined;
  defer?: ((task: Promise<unknown>) => void) | undefined;
}): AuthRuntime {
  const { config, kv } = input;
  const limiters = Object.fromEntries(
    Object.entries(config.limits).map(([name, rule]) => [
      name,
      createRateLimiter(kv, {
        keyPrefix: `auth:${name}`,
        points: rule.points,
        durationSeconds: rule.durationSeconds,
        ...(rule.blockDurationSeconds ? { blockDurationSeconds: rule.blockDurationSeconds } : {}),
      }),
    ]),
  ) as Record<RateLimitName, RateLimiter>;

  const logger: AuthLogger = input.logger ?? {
    debug: () => {},
    info: () => {},
    warn: (message) => console.warn(message),
    error: (message) => console.error(message),
  };
  const log = (level: LogLevel, message: string, ...args: unknown[]) => {
    const rest = args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 3, breakLength: Infinity })));
    logger[level](redactSecrets(["[auth]", message, ...rest].join(" ")));
  };

  const pending = new Set<Promise<unknown>>();
  const runtime: AuthRuntime = {
    config,
    db: input.db,
    kv,
    email: input.email,
    botCheck: input.botCheck,
    limiters,
    log,
    defer(what, task) {
      const promise = Promise.resolve()
        .then(task)
        .catch((error: unknown) => log("error", `background task failed: ${what}`, error))
        .finally(() => pending.delete(promise));
      pending.add(promise);
      input.defer?.(promise);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    meta: (headers) => requestMeta(headers, config),
    async audit(event) {
      try {
        await recordAuditEvent(input.db, event);
      } catch (error) {
        log("error", `audit event not written: ${event.action}`, error);
      }
    },
  };
  return runtime;
}
