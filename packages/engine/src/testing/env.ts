/**
 * The environment the fake runtime's CLI (fake-runtime-main.ts) reads: what OpenClaw itself reads
 * (`OPENCLAW_GATEWAY_TOKEN`, `OPENCLAW_STATE_DIR`) plus `FAKE_RUNTIME_*` knobs that let tests make it slow, broken or
 * stubborn. Nothing else in this package reads `process.env`.
 */
export interface FakeRuntimeEnv {
  readonly gatewayToken: string | undefined;
  readonly stateDir: string | undefined;
  /** FAKE_RUNTIME_VERSION: what /startupz reports (the fake launcher sets it to the requested runtimeVersion). */
  readonly version: string;
  /** FAKE_RUNTIME_BOOT_DELAY_MS: wait this long before listening (a slow boot). */
  readonly bootDelayMs: number;
  /** FAKE_RUNTIME_EXIT_CODE: exit at once with this code (a runtime that dies on boot). */
  readonly exitCode: number | undefined;
  /** FAKE_RUNTIME_READY=0: /readyz answers 503 from the start. */
  readonly ready: boolean;
  /** FAKE_RUNTIME_IGNORE_SIGTERM=1: ignore SIGTERM (a runtime stuck in its shutdown; only SIGKILL ends it). */
  readonly ignoreSigterm: boolean;
}

export const DEFAULT_FAKE_RUNTIME_VERSION = "0.0.0-fake";

export function readFakeRuntimeEnv(env: NodeJS.ProcessEnv = process.env): FakeRuntimeEnv {
  return {
    gatewayToken: env.OPENCLAW_GATEWAY_TOKEN,
    stateDir: env.OPENCLAW_STATE_DIR || undefined,
    version: env.FAKE_RUNTIME_VERSION || DEFAULT_FAKE_RUNTIME_VERSION,
    bootDelayMs: nonNegativeInteger(env, "FAKE_RUNTIME_BOOT_DELAY_MS") ?? 0,
    exitCode: nonNegativeInteger(env, "FAKE_RUNTIME_EXIT_CODE"),
    ready: env.FAKE_RUNTIME_READY !== "0",
    ignoreSigterm: env.FAKE_RUNTIME_IGNORE_SIGTERM === "1",
  };
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}
