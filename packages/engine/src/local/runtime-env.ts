import { EngineError } from "../engine-driver.ts";

/**
 * The complete environment of a local runtime process. Built from nothing: the backend's own environment is never
 * inherited (no platform secret may reach a workload). Precedence, lowest first: a minimal PATH, the launcher's env
 * (what the runtime needs to run at all), the spec's env (what the backend decided), then what the driver must
 * control (state dir, HOME, memory cap, supervision switches).
 */
export const DEFAULT_RUNTIME_PATH = "/usr/local/bin:/usr/bin:/bin";

/** The runtime's V8 heap cap: 75% of the plan's memory, leaving room for native memory and buffers. */
export function heapLimitMb(memoryMb: number): number {
  return Math.floor(memoryMb * 0.75);
}

export function buildRuntimeEnv(input: {
  readonly specEnv: Readonly<Record<string, string>>;
  readonly launcherEnv: Readonly<Record<string, string>> | undefined;
  readonly stateDir: string;
  readonly memoryMb: number;
}): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_RUNTIME_PATH, ...input.launcherEnv, ...input.specEnv };
  const heapCap = `--max-old-space-size=${heapLimitMb(input.memoryMb)}`;
  return {
    ...env,
    OPENCLAW_STATE_DIR: input.stateDir,
    HOME: input.stateDir,
    // Appended, so the cap wins over any heap size given earlier in NODE_OPTIONS.
    NODE_OPTIONS: env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ${heapCap}` : heapCap,
    // The driver supervises: OpenClaw must not respawn itself, advertise over mDNS or update itself.
    OPENCLAW_NO_RESPAWN: "1",
    OPENCLAW_DISABLE_BONJOUR: "1",
    OPENCLAW_NO_AUTO_UPDATE: "1",
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rejects variables a process environment cannot carry; names the variable, never its value. */
export function assertValidEnv(env: Readonly<Record<string, string>>, field: string): void {
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      throw new EngineError("invalid_config", `${field}: "${name}" is not a valid environment variable name`);
    }
    if (typeof value !== "string" || value.includes("\0")) {
      throw new EngineError("invalid_config", `${field}.${name} must be a string without NUL characters`);
    }
  }
}
