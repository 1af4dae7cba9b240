import type { DependencyCheck, DependencyChecks } from "@agentbot/contracts";
import { pingDb } from "@agentbot/db";
import type { Db } from "@agentbot/db";
import type { KeyValueStore } from "@agentbot/kv";

export interface DependencyHandles {
  readonly db: Db;
  readonly kv: KeyValueStore;
}

/**
 * `/readyz` is public, so a failure reason must not carry credentials: drop `user:password@` from any URL.
 * Hosts and ports can still appear (e.g. "connect ECONNREFUSED 10.0.0.5:5432"); they are not secrets.
 */
export function publicReason(message: string): string {
  return message.replace(/\/\/[^\s/@]*@/g, "//[redacted]@").slice(0, 300);
}

async function checkPostgres(db: Db, timeoutMs: number): Promise<DependencyCheck> {
  const result = await pingDb(db, timeoutMs);
  return result.ok
    ? { status: "ok", latencyMs: result.latencyMs }
    : { status: "fail", error: publicReason(result.error.message) };
}

async function checkRedis(kv: KeyValueStore, timeoutMs: number): Promise<DependencyCheck> {
  // Without REDIS_URL the in-process stand-in is the configured mode, not a failure.
  if (kv.kind === "in_process") return { status: "in_process" };
  const result = await kv.ping(timeoutMs);
  return result.ok
    ? { status: "ok", latencyMs: result.latencyMs }
    : { status: "fail", error: publicReason(result.error) };
}

/** Checks PostgreSQL and Redis in parallel; each check is bounded by `timeoutMs` and never throws. */
export async function checkDependencies(handles: DependencyHandles, timeoutMs: number): Promise<DependencyChecks> {
  const [postgres, redis] = await Promise.all([
    checkPostgres(handles.db, timeoutMs),
    checkRedis(handles.kv, timeoutMs),
  ]);
  return { postgres, redis };
}

export function failingDependencies(checks: DependencyChecks): Array<"postgres" | "redis"> {
  return (["postgres", "redis"] as const).filter((name) => checks[name].status === "fail");
}
