/**
 * The one interface every engine (local processes, Railway, …) implements. The provisioning backend only ever talks
 * to an `EngineDriver`; the shared contract suite (`describeEngineDriver` in `@agentbot/engine/testing`) runs against
 * every driver, so a driver that passes it can be swapped in without touching the backend.
 *
 * A workload is one OpenClaw runtime (HTTP on its gateway port, 18789 in a container). The driver creates it, injects
 * exactly what `WorkloadSpec` says (never anything else: no platform secret ever reaches a workload), and answers
 * where it can be reached. Health (running vs degraded) is NOT the driver's business: the backend's poller decides
 * that from the runtime's own probes. The driver only reports what the engine knows (`EngineWorkloadState`).
 */

export type EngineKind = "local" | "railway";

/** CPU and memory for one workload, from the agent's plan (packages/plans). */
export interface WorkloadResources {
  readonly cpuMillicores: number;
  readonly memoryMb: number;
}

/** Everything a workload receives. The backend builds it; the driver injects it verbatim and nothing else. */
export interface WorkloadSpec {
  /** The agent's id (`agt_…`); drivers label/name the workload with it so `list()` can map workloads to agents. */
  readonly agentId: string;
  /** A short, DNS-safe name (lowercase letters, digits, hyphens; ≤ 40 chars), e.g. `my-agent-7k2p`. */
  readonly name: string;
  /** The `openclaw` npm version (local) or image tag (railway), e.g. `2026.9.6`. */
  readonly runtimeVersion: string;
  readonly resources: WorkloadResources;
  /**
   * The OpenClaw config document (`openclaw.json`), serialized. Local: written to `<state dir>/openclaw.json`.
   * Railway: passed as the variable `AGENTBOT_OPENCLAW_CONFIG` that the runtime image writes to
   * `$OPENCLAW_STATE_DIR/openclaw.json` before starting the gateway.
   */
  readonly openclawConfig: string;
  /**
   * Environment variables for the runtime (gateway token, provider keys, channel tokens, OPENCLAW_* switches).
   * The driver adds only what it must to run the process (`OPENCLAW_STATE_DIR`, PATH/HOME for local processes);
   * it never adds anything from the backend's own environment.
   */
  readonly env: Readonly<Record<string, string>>;
}

/** The driver's handle for a workload, stored on the agent (`engineServiceId` + `engineRef`). */
export interface WorkloadRef {
  readonly agentId: string;
  /** Engine-side id (local: `agt_…`-derived workload id; railway: the service id). */
  readonly serviceId: string;
  /** Engine-specific data needed later (local: port, pid, state dir; railway: volume, domain, deployment id). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** What the engine itself says about a workload (not the runtime's health). */
export type EngineWorkloadState =
  | "starting" // created or (re)deploying; not known to be up yet
  | "running" // the engine considers it up (process alive / deployment SUCCESS)
  | "stopped" // deliberately stopped
  | "crashed" // exited on its own / deployment FAILED or CRASHED
  | "missing"; // the engine has no such workload

export interface WorkloadStatus {
  readonly state: EngineWorkloadState;
  /** Human-readable detail from the engine (exit code, deployment status…), never containing secrets. */
  readonly detail?: string;
  /** Local only: the process exit code when crashed; 78 means the runtime refused its configuration. */
  readonly exitCode?: number;
}

export interface WorkloadEndpoint {
  /** Base URL for probes and the runtime's HTTP APIs, e.g. `http://127.0.0.1:20000` or `https://x.up.railway.app`. */
  readonly baseUrl: string;
}

export interface LogLine {
  /** ISO timestamp when the engine knows it, else when read. */
  readonly at: string;
  readonly stream: "stdout" | "stderr" | "engine";
  /** Raw text. NOT redacted: the backend redacts before anything leaves it. */
  readonly text: string;
}

/** A workload the engine has, for the reconciler: `agentId` is null when the engine cannot tell whose it is. */
export interface ListedWorkload {
  readonly ref: WorkloadRef;
  readonly agentId: string | null;
  readonly createdAt: Date | null;
}

/** Progress a driver reports while it works (each becomes an AgentEvent on the timeline). */
export type ProgressReporter = (step: string, message: string, data?: Readonly<Record<string, unknown>>) => void;

export interface DriverCallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressReporter;
}

/** A typed failure from a driver. `retryable`: trying the same call again later may succeed. */
export class EngineError extends Error {
  override readonly name = "EngineError";
  readonly code: "engine_error" | "invalid_config" | "not_found" | "unavailable";
  readonly retryable: boolean;
  constructor(
    code: EngineError["code"],
    message: string,
    options: { readonly retryable?: boolean; readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export interface EngineDriver {
  readonly kind: EngineKind;
  /**
   * Creates the workload and starts it. Idempotent per `spec.agentId`: calling it again for an agent whose workload
   * exists answers the existing ref (safe retries after a crash). On failure it removes what it created before
   * throwing (compensation inside the driver), so a failed create leaves nothing behind.
   */
  create(spec: WorkloadSpec, options?: DriverCallOptions): Promise<WorkloadRef>;
  status(ref: WorkloadRef, options?: DriverCallOptions): Promise<WorkloadStatus>;
  endpoint(ref: WorkloadRef): WorkloadEndpoint;
  start(ref: WorkloadRef, options?: DriverCallOptions): Promise<WorkloadRef>;
  /** Stops the workload, keeping its state (volume/state dir). Stopping a stopped workload is a no-op. */
  stop(ref: WorkloadRef, options?: DriverCallOptions): Promise<WorkloadRef>;
  restart(ref: WorkloadRef, options?: DriverCallOptions): Promise<WorkloadRef>;
  /** Replaces the runtime (e.g. another `runtimeVersion`) on the same state; answers the updated ref. */
  redeploy(ref: WorkloadRef, spec: WorkloadSpec, options?: DriverCallOptions): Promise<WorkloadRef>;
  /** Removes the workload and its state (volume/state dir). Deleting a missing workload is a no-op. */
  delete(ref: WorkloadRef, options?: DriverCallOptions): Promise<void>;
  /** The most recent `limit` lines, oldest first. */
  logs(ref: WorkloadRef, options: { readonly limit: number; readonly signal?: AbortSignal }): Promise<LogLine[]>;
  /** Lines written from now on, until `signal` aborts. */
  followLogs(ref: WorkloadRef, options: { readonly signal: AbortSignal }): AsyncIterable<LogLine>;
  /** Every workload this driver manages (for the reconciler's orphan sweep and re-adoption). */
  list(options?: DriverCallOptions): Promise<ListedWorkload[]>;
  /** Releases the driver's own resources (timers, watchers). Workloads keep running. */
  close(): Promise<void>;
}
