import { EngineError } from "@agentbot/engine";
import type { WorkloadSpec } from "@agentbot/engine";

/** The gateway's port inside the container; the service domain targets it. */
export const RUNTIME_PORT = 18789;
/** Where the volume is mounted, and the runtime's state directory on it. */
export const VOLUME_MOUNT_PATH = "/data";
export const RUNTIME_STATE_DIR = "/data/.openclaw";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every variable a Railway agent service gets, sent in serviceCreate (creating a service from an image deploys it at
 * once, so nothing may come later) and again, complete, on redeploy. Exactly `spec.env` plus what the runtime image
 * needs, and nothing from the backend's environment:
 * - `AGENTBOT_OPENCLAW_CONFIG`: the OpenClaw config; the image writes it to `$OPENCLAW_STATE_DIR/openclaw.json`.
 * - `OPENCLAW_STATE_DIR=/data/.openclaw`: state on the volume, so it survives redeploys.
 * - `NODE_OPTIONS`: a V8 heap cap at 75% of the plan's memory (appended to any NODE_OPTIONS in spec.env, so it wins).
 * - `PORT=18789`: the gateway's port, which the service domain targets.
 * The driver's variables take precedence over spec.env entries of the same name (as the local driver does).
 */
export function runtimeVariables(spec: WorkloadSpec): Record<string, string> {
  for (const [name, value] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(name)) {
      throw new EngineError("invalid_config", `spec.env: "${name.slice(0, 100)}" is not a valid variable name`);
    }
    if (typeof value !== "string" || value.includes("\0")) {
      throw new EngineError("invalid_config", `spec.env.${name} must be a string without NUL characters`);
    }
  }
  const heapCap = `--max-old-space-size=${Math.floor(spec.resources.memoryMb * 0.75)}`;
  const nodeOptions = spec.env.NODE_OPTIONS;
  return {
    ...spec.env,
    AGENTBOT_OPENCLAW_CONFIG: spec.openclawConfig,
    OPENCLAW_STATE_DIR: RUNTIME_STATE_DIR,
    NODE_OPTIONS: nodeOptions ? `${nodeOptions} ${heapCap}` : heapCap,
    PORT: String(RUNTIME_PORT),
  };
}

/** Plan resources in Railway's units: vCPUs and GB (limits apply on the next deployment). */
export function railwayLimits(spec: WorkloadSpec): { vCPUs: number; memoryGB: number } {
  const { cpuMillicores, memoryMb } = spec.resources;
  if (!(cpuMillicores > 0) || !(memoryMb > 0)) {
    throw new EngineError("invalid_config", "spec.resources: cpuMillicores and memoryMb must be positive");
  }
  return { vCPUs: cpuMillicores / 1000, memoryGB: memoryMb / 1024 };
}
