import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { EngineError } from "../engine-driver.ts";
import type {
  DriverCallOptions,
  EngineDriver,
  ListedWorkload,
  LogLine,
  ProgressReporter,
  WorkloadEndpoint,
  WorkloadRef,
  WorkloadSpec,
  WorkloadStatus,
} from "../engine-driver.ts";
import { agentPaths, isValidAgentId } from "./agent-paths.ts";
import type { AgentPaths } from "./agent-paths.ts";
import { createKeyedLock } from "./keyed-lock.ts";
import { appendEngineLine, followLines, rotateLogIfLarge, tailLines, toLogLine } from "./log-file.ts";
import { allocatePort, HELPER_PORT_SPAN, isPortBindable } from "./port-allocator.ts";
import { writePrivateFile } from "./private-files.ts";
import {
  isAgentProcess,
  isProcessRunning,
  isSameProcessRunning,
  processStartTicks,
  signalProcessGroup,
} from "./process-inspect.ts";
import { assertValidEnv, buildRuntimeEnv } from "./runtime-env.ts";
import type { RuntimeCommand, RuntimeLauncher } from "./runtime-launcher.ts";
import {
  parseWorkloadRecord,
  readLaunchFile,
  readWorkloadRecord,
  writeLaunchFile,
  writeWorkloadRecord,
} from "./workload-record.ts";
import type { WorkloadRecord } from "./workload-record.ts";

/** Where the driver logs what it does (pino's logger fits). Never given secrets. */
export interface LocalDriverLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface LocalDriverOptions {
  /** One directory per agent below it (`<rootDir>/<agentId>`); created when missing. */
  readonly rootDir: string;
  readonly launcher: RuntimeLauncher;
  /** First runtime port. Default 20000. */
  readonly portBase?: number;
  /** Distance between runtime ports; at least 120 because OpenClaw uses helper ports up to +110. Default 120. */
  readonly portStride?: number;
  /** How long a runtime may take to exit after SIGTERM before its process group gets SIGKILL. Default 10 s. */
  readonly stopGraceMs?: number;
  readonly logger?: LocalDriverLogger;
}

export interface LocalDriver extends EngineDriver {
  readonly kind: "local";
  readonly rootDir: string;
}

/** One runtime process this driver instance spawned (its exit is observed; others are inspected through /proc). */
interface TrackedChild {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | null;
  readonly exited: Promise<void>;
  /** The "exited" line on its way into runtime.log (set on exit). */
  logged: Promise<void> | null;
}

type Liveness = "alive" | "gone" | "foreign";

const EXIT_CONFIG = 78;
const KILL_WAIT_MS = 5_000;
const PORTS_LOCK = "\0ports";

/**
 * The local engine: each workload is an OpenClaw process on this machine (for development and single-host use).
 * Per agent: `<rootDir>/<agentId>/` holds `state/` (OPENCLAW_STATE_DIR and HOME, with `openclaw.json`),
 * `runtime.log` (the process's stdout+stderr), `workload.json` (the record) and `launch.json` (env and resources for
 * restarts; secrets, 0600). Processes run detached in their own process group, so they outlive the backend; a new
 * driver on the same rootDir re-adopts them after verifying each pid still is that agent's runtime (Linux /proc).
 *
 * Not covered: CPU limits (only the V8 heap is capped, at 75% of the plan's memory), a cap on the process's whole
 * memory, network isolation, and two backends sharing one rootDir at the same time (operations are serialized per
 * agent within one driver instance only). The driver never restarts a crashed runtime on its own: the backend does.
 */
export function createLocalDriver(options: LocalDriverOptions): LocalDriver {
  const rootDir = options.rootDir;
  const launcher = options.launcher;
  const portBase = options.portBase ?? 20_000;
  const portStride = options.portStride ?? 120;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const logger = options.logger;
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase + HELPER_PORT_SPAN > 65535) {
    throw new EngineError("invalid_config", `portBase must be an integer from 1024 to ${65535 - HELPER_PORT_SPAN}`);
  }
  if (!Number.isInteger(portStride) || portStride < 120) {
    throw new EngineError("invalid_config", "portStride must be an integer of at least 120 (OpenClaw uses port+110)");
  }
  if (!Number.isFinite(stopGraceMs) || stopGraceMs < 0) {
    throw new EngineError("invalid_config", "stopGraceMs must be a non-negative number");
  }

  const lock = createKeyedLock();
  const children = new Map<string, TrackedChild>();
  /** Exit codes on their way into records; close() waits for them so no write lands after it. */
  const pendingExitWrites = new Set<Promise<void>>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new EngineError("unavailable", "the local driver is closed");
  }

  function refFor(record: WorkloadRecord, paths: AgentPaths): WorkloadRef {
    return {
      agentId: record.agentId,
      serviceId: record.agentId,
      data: { port: record.port, pid: record.pid, stateDir: paths.stateDir },
    };
  }

  async function requireRecord(paths: AgentPaths, agentId: string): Promise<WorkloadRecord> {
    const record = await readWorkloadRecord(paths.recordFile);
    if (!record) throw new EngineError("not_found", `no local workload for agent ${agentId}`);
    return record;
  }

  /** Whether the record's process runs and is this agent's runtime ("foreign": its pid now belongs to another). */
  async function liveness(record: WorkloadRecord, paths: AgentPaths): Promise<Liveness> {
    if (record.pid === null) return "gone";
    const tracked = children.get(record.agentId);
    if (tracked && tracked.pid === record.pid) return tracked.exit ? "gone" : "alive";
    if (!(await isProcessRunning(record.pid))) return "gone";
    const ours = await isAgentProcess(record.pid, {
      stateDir: paths.stateDir,
      startTicks: record.processStartTicks,
    });
    return ours ? "alive" : "foreign";
  }

  /** How the record's process ended, if any driver instance saw it end. */
  function knownExit(record: WorkloadRecord): { code: number | null; signal: string | null } | null {
    const tracked = children.get(record.agentId);
    if (tracked && tracked.pid === record.pid && tracked.exit) return tracked.exit;
    if (record.lastExit && record.lastExit.pid === record.pid) return record.lastExit;
    return null;
  }

  async function reservedPorts(exceptAgentId: string): Promise<Set<number>> {
    const reserved = new Set<number>();
    for (const entry of readdirSafe(rootDir)) {
      if (entry === exceptAgentId || !isValidAgentId(entry)) continue;
      const record = await readWorkloadRecord(agentPaths(rootDir, entry).recordFile).catch(() => null);
      if (record) reserved.add(record.port);
    }
    return reserved;
  }

  /** Picks a port for `record` and writes the record with it, both under one lock so two creates never collide. */
  async function assignPort(record: WorkloadRecord, paths: AgentPaths): Promise<WorkloadRecord> {
    return lock.run(PORTS_LOCK, async () => {
      const reserved = await reservedPorts(record.agentId);
      const port = await allocatePort({ portBase, portStride, reserved });
      const updated = { ...record, port };
      await writeWorkloadRecord(paths.recordFile, updated);
      return updated;
    });
  }

  /** Spawns the runtime for `record` and answers the record with its pid. The caller holds the agent's lock. */
  async function launch(
    record: WorkloadRecord,
    paths: AgentPaths,
    command: RuntimeCommand,
    launchSpec: { readonly env: Readonly<Record<string, string>>; readonly memoryMb: number },
    onProgress: ProgressReporter | undefined,
  ): Promise<WorkloadRecord> {
    let current = record;
    if (!(await isPortBindable(current.port))) {
      const previous = current.port;
      current = await assignPort(current, paths);
      logger?.info(`local engine: port ${previous} of ${current.agentId} is taken, moved to ${current.port}`);
    }
    onProgress?.("port.allocated", `runtime port ${current.port}`, { port: current.port });

    await rotateLogIfLarge(paths.logFile);
    await appendEngineLine(paths.logFile, `starting runtime ${current.runtimeVersion} on port ${current.port}`);
    const env = buildRuntimeEnv({
      specEnv: launchSpec.env,
      launcherEnv: command.env,
      stateDir: paths.stateDir,
      memoryMb: launchSpec.memoryMb,
    });
    // The log file is the process's own stdout and stderr, so it keeps writing when the backend goes away.
    const logFd = openSync(paths.logFile, "a", 0o600);
    let child: ChildProcess;
    try {
      child = spawn(command.command, [...command.args(current.port)], {
        detached: true,
        stdio: ["ignore", logFd, logFd],
        env,
        cwd: paths.stateDir,
      });
    } finally {
      closeSync(logFd);
    }
    try {
      // once() rejects when "error" comes first (the command does not exist or may not run).
      await once(child, "spawn");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
      await appendEngineLine(paths.logFile, `the runtime could not be started: ${code}`).catch(() => {});
      throw new EngineError("engine_error", `could not start the runtime ${command.command}: ${code}`, {
        cause: error,
      });
    }
    const pid = child.pid;
    if (pid === undefined) throw new EngineError("engine_error", "the runtime process has no pid");
    child.unref();
    track(current.agentId, pid, child, paths);

    const updated: WorkloadRecord = {
      ...current,
      pid,
      processStartTicks: await processStartTicks(pid),
      desiredState: "running",
      startedAt: new Date().toISOString(),
    };
    await writeWorkloadRecord(paths.recordFile, updated);
    logger?.info(`local engine: started ${updated.agentId} (pid ${pid}, port ${updated.port})`);
    onProgress?.("process.spawned", `runtime process ${pid} started on port ${updated.port}`, {
      pid,
      port: updated.port,
    });
    return updated;
  }

  function track(agentId: string, pid: number, child: ChildProcess, paths: AgentPaths): void {
    let resolveExited: () => void = () => {};
    const exited = new Promise<void>((resolve) => (resolveExited = resolve));
    const tracked: TrackedChild = {
      pid,
      child,
      exit: null,
      exited,
      logged: null,
      onExit: (code, signal) => {
        tracked.exit = { code, signal };
        resolveExited();
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        // Keep the exit in the log and the record, so later driver instances can tell a refused config from other
        // crashes.
        const logged = appendEngineLine(paths.logFile, `runtime process ${pid} ${how}`).catch(() => {});
        tracked.logged = logged;
        const write = logged
          .then(() =>
            lock.run(agentId, async () => {
              const record = await readWorkloadRecord(paths.recordFile);
              if (!record || record.pid !== pid) return;
              const lastExit = { pid, code, signal, at: new Date().toISOString() };
              await writeWorkloadRecord(paths.recordFile, { ...record, lastExit });
            }),
          )
          .catch(() => {});
        pendingExitWrites.add(write);
        void write.then(() => pendingExitWrites.delete(write));
      },
    };
    child.once("exit", tracked.onExit);
    children.set(agentId, tracked);
  }

  async function waitForExit(record: WorkloadRecord, paths: AgentPaths, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const tracked = children.get(record.agentId);
    if (tracked && tracked.pid === record.pid) {
      if (tracked.exit) return true;
      const controller = new AbortController();
      const timedOut = sleep(timeoutMs, false, { signal: controller.signal }).catch(() => false);
      const result = await Promise.race([tracked.exited.then(() => true), timedOut]);
      controller.abort();
      return result;
    }
    // Not our child: poll until the process is gone, not merely until it stops looking like the agent's runtime
    // (while it exits, its environment is already unreadable but it may still hold its port). Only the same process
    // (pid and start time) is waited for: a pid reused by another process must not be signalled.
    const { pid, processStartTicks: startTicks } = record;
    const stillRunning = async () =>
      (await liveness(record, paths)) === "alive" ||
      (pid !== null && startTicks !== null && (await isSameProcessRunning(pid, startTicks)));
    while (await stillRunning()) {
      if (Date.now() >= deadline) return false;
      await sleep(50);
    }
    return true;
  }

  /** Stops the record's process if it is alive and ours: SIGTERM to its group, SIGKILL after the grace period. */
  async function terminate(record: WorkloadRecord, paths: AgentPaths, onProgress?: ProgressReporter): Promise<void> {
    const state = await liveness(record, paths);
    if (state === "foreign") {
      logger?.warn(
        `local engine: pid ${record.pid} of ${record.agentId} now belongs to another process; not signalled`,
      );
    }
    if (state !== "alive" || record.pid === null) return;
    const pid = record.pid;
    onProgress?.("process.stopping", `stopping runtime process ${pid}`, { pid });
    await appendEngineLine(paths.logFile, `stopping runtime process ${pid} (SIGTERM)`).catch(() => {});
    signalProcessGroup(pid, "SIGTERM");
    let forced = false;
    if (!(await waitForExit(record, paths, stopGraceMs))) {
      forced = true;
      logger?.warn(`local engine: ${record.agentId} (pid ${pid}) ignored SIGTERM for ${stopGraceMs} ms; SIGKILL`);
      await appendEngineLine(paths.logFile, `no exit ${stopGraceMs} ms after SIGTERM; SIGKILL`).catch(() => {});
      signalProcessGroup(pid, "SIGKILL");
      if (!(await waitForExit(record, paths, KILL_WAIT_MS))) {
        throw new EngineError("engine_error", `runtime process ${pid} did not exit after SIGKILL`, { retryable: true });
      }
    }
    // Children the runtime left behind in its group.
    signalProcessGroup(pid, "SIGKILL");
    // Its "exited" line first, so the log reads in order and delete never races an append.
    await children.get(record.agentId)?.logged;
    onProgress?.("process.stopped", `runtime process ${pid} stopped`, { pid, forced });
  }

  async function writeSpecFiles(spec: WorkloadSpec, paths: AgentPaths): Promise<void> {
    await writePrivateFile(paths.configFile, spec.openclawConfig);
    await writeLaunchFile(paths.launchFile, { resources: { ...spec.resources }, env: { ...spec.env } });
  }

  async function prepare(runtimeVersion: string, options: DriverCallOptions | undefined): Promise<RuntimeCommand> {
    options?.onProgress?.("runtime.prepare", `preparing OpenClaw ${runtimeVersion}`, { runtimeVersion });
    const command = await launcher.prepare(
      runtimeVersion,
      options?.onProgress ? { onProgress: options.onProgress } : {},
    );
    options?.signal?.throwIfAborted();
    return command;
  }

  async function relaunchFromFiles(
    record: WorkloadRecord,
    paths: AgentPaths,
    options: DriverCallOptions | undefined,
  ): Promise<WorkloadRecord> {
    const launchFile = await readLaunchFile(paths.launchFile);
    const command = await prepare(record.runtimeVersion, options);
    return launch(
      record,
      paths,
      command,
      { env: launchFile.env, memoryMb: launchFile.resources.memoryMb },
      options?.onProgress,
    );
  }

  const driver: LocalDriver = {
    kind: "local",
    rootDir,

    async create(spec, options) {
      assertOpen();
      validateSpec(spec);
      options?.signal?.throwIfAborted();
      const paths = agentPaths(rootDir, spec.agentId);
      return lock.run(spec.agentId, async () => {
        const existing = await readWorkloadRecord(paths.recordFile);
        if (existing) {
          if ((await liveness(existing, paths)) === "alive") {
            options?.onProgress?.("workload.exists", "the runtime already runs", { pid: existing.pid });
            return refFor(existing, paths);
          }
          // A workload left half-made or dead (a retried create): run it again with this spec.
          const command = await prepare(spec.runtimeVersion, options);
          await writeSpecFiles(spec, paths);
          const record = { ...existing, name: spec.name, runtimeVersion: spec.runtimeVersion };
          const launched = await launch(record, paths, command, launchSpecOf(spec), options?.onProgress);
          return refFor(launched, paths);
        }

        try {
          const command = await prepare(spec.runtimeVersion, options);
          options?.onProgress?.("state.prepare", "writing the state directory and config");
          await mkdir(rootDir, { recursive: true, mode: 0o700 });
          await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
          await writeSpecFiles(spec, paths);
          const record = await assignPort(
            {
              version: 1,
              agentId: spec.agentId,
              name: spec.name,
              runtimeVersion: spec.runtimeVersion,
              port: portBase,
              pid: null,
              processStartTicks: null,
              desiredState: "running",
              createdAt: new Date().toISOString(),
              startedAt: null,
              lastExit: null,
            },
            paths,
          );
          const launched = await launch(record, paths, command, launchSpecOf(spec), options?.onProgress);
          return refFor(launched, paths);
        } catch (error) {
          // Compensation: a failed create leaves nothing behind, not even a process spawned before the failure.
          const tracked = children.get(spec.agentId);
          if (tracked && !tracked.exit) signalProcessGroup(tracked.pid, "SIGKILL");
          await rm(paths.agentDir, { recursive: true, force: true }).catch(() => {});
          throw asEngineError(error, `create failed for ${spec.agentId}`);
        }
      });
    },

    async status(ref) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      const record = await readWorkloadRecord(paths.recordFile);
      if (!record) return { state: "missing" };
      const state = await liveness(record, paths);
      if (record.desiredState === "stopped") {
        return state === "alive" ? { state: "stopped", detail: "stopping" } : { state: "stopped" };
      }
      if (state === "alive") return { state: "running", detail: `pid ${record.pid} on port ${record.port}` };
      if (record.pid === null) return { state: "starting", detail: "the runtime process is not started yet" };
      return crashedStatus(record, state, knownExit(record));
    },

    endpoint(ref) {
      const paths = agentPaths(rootDir, ref.agentId);
      let port: unknown = ref.data.port;
      try {
        port = parseWorkloadRecord(readFileSync(paths.recordFile, "utf8"), paths.recordFile).port;
      } catch {
        // No record (deleted, or another host): the port the ref remembers.
      }
      if (typeof port !== "number") throw new EngineError("not_found", `no port known for agent ${ref.agentId}`);
      return { baseUrl: `http://127.0.0.1:${port}` } satisfies WorkloadEndpoint;
    },

    async start(ref, options) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      return lock.run(ref.agentId, async () => {
        const record = await requireRecord(paths, ref.agentId);
        if ((await liveness(record, paths)) === "alive") {
          if (record.desiredState !== "running") {
            await writeWorkloadRecord(paths.recordFile, { ...record, desiredState: "running" });
          }
          return refFor(record, paths);
        }
        try {
          return refFor(await relaunchFromFiles(record, paths, options), paths);
        } catch (error) {
          throw asEngineError(error, `start failed for ${ref.agentId}`);
        }
      });
    },

    async stop(ref, options) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      return lock.run(ref.agentId, async () => {
        const record = await requireRecord(paths, ref.agentId);
        const stopped = { ...record, desiredState: "stopped" as const };
        if (record.desiredState !== "stopped") await writeWorkloadRecord(paths.recordFile, stopped);
        await terminate(stopped, paths, options?.onProgress);
        return refFor(stopped, paths);
      });
    },

    async restart(ref, options) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      return lock.run(ref.agentId, async () => {
        const record = await requireRecord(paths, ref.agentId);
        try {
          await terminate(record, paths, options?.onProgress);
          return refFor(await relaunchFromFiles(record, paths, options), paths);
        } catch (error) {
          throw asEngineError(error, `restart failed for ${ref.agentId}`);
        }
      });
    },

    async redeploy(ref, spec, options) {
      assertOpen();
      validateSpec(spec);
      if (spec.agentId !== ref.agentId) {
        throw new EngineError("invalid_config", `spec.agentId ${spec.agentId} does not match the ref's ${ref.agentId}`);
      }
      const paths = agentPaths(rootDir, ref.agentId);
      return lock.run(ref.agentId, async () => {
        const record = await requireRecord(paths, ref.agentId);
        try {
          // Install first: the old runtime keeps serving while a new version downloads.
          const command = await prepare(spec.runtimeVersion, options);
          await terminate(record, paths, options?.onProgress);
          await writeSpecFiles(spec, paths);
          const next = { ...record, name: spec.name, runtimeVersion: spec.runtimeVersion };
          return refFor(await launch(next, paths, command, launchSpecOf(spec), options?.onProgress), paths);
        } catch (error) {
          throw asEngineError(error, `redeploy failed for ${ref.agentId}`);
        }
      });
    },

    async delete(ref, options) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      await lock.run(ref.agentId, async () => {
        const record = await readWorkloadRecord(paths.recordFile).catch(() => null);
        if (record) {
          const stopping = { ...record, desiredState: "stopped" as const };
          await writeWorkloadRecord(paths.recordFile, stopping);
          await terminate(stopping, paths, options?.onProgress);
        }
        await rm(paths.agentDir, { recursive: true, force: true, maxRetries: 3 });
        const tracked = children.get(ref.agentId);
        if (tracked) tracked.child.off("exit", tracked.onExit);
        children.delete(ref.agentId);
        if (record) options?.onProgress?.("workload.deleted", "the state directory and logs are removed");
      });
    },

    async logs(ref, { limit }) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      if (!existsSync(paths.agentDir)) throw new EngineError("not_found", `no local workload for agent ${ref.agentId}`);
      const readAt = new Date().toISOString();
      return (await tailLines(paths.logFile, Math.max(0, Math.floor(limit)))).map((raw) => toLogLine(raw, readAt));
    },

    followLogs(ref, { signal }) {
      assertOpen();
      const paths = agentPaths(rootDir, ref.agentId);
      return (async function* (): AsyncGenerator<LogLine> {
        if (!existsSync(paths.agentDir)) {
          throw new EngineError("not_found", `no local workload for agent ${ref.agentId}`);
        }
        for await (const raw of followLines(paths.logFile, signal)) yield toLogLine(raw, new Date().toISOString());
      })();
    },

    async list() {
      assertOpen();
      const workloads: ListedWorkload[] = [];
      for (const entry of readdirSafe(rootDir)) {
        if (!isValidAgentId(entry)) continue;
        const paths = agentPaths(rootDir, entry);
        const record = await readWorkloadRecord(paths.recordFile).catch(() => null);
        // A directory without a readable record is a leftover (a create cut short): listed so it can be deleted.
        workloads.push(
          record
            ? { ref: refFor(record, paths), agentId: record.agentId, createdAt: new Date(record.createdAt) }
            : { ref: { agentId: entry, serviceId: entry, data: {} }, agentId: entry, createdAt: null },
        );
      }
      return workloads;
    },

    async close() {
      closed = true;
      // Workloads keep running; only stop listening for their exits.
      for (const tracked of children.values()) tracked.child.off("exit", tracked.onExit);
      children.clear();
      await Promise.all(pendingExitWrites);
    },
  };
  return driver;
}

function launchSpecOf(spec: WorkloadSpec) {
  return { env: spec.env, memoryMb: spec.resources.memoryMb };
}

function crashedStatus(
  record: WorkloadRecord,
  state: Liveness,
  exit: { code: number | null; signal: string | null } | null,
): WorkloadStatus {
  if (exit?.code === EXIT_CONFIG) {
    return { state: "crashed", exitCode: EXIT_CONFIG, detail: "the runtime refused its configuration (exit code 78)" };
  }
  if (exit?.code !== undefined && exit.code !== null) {
    return { state: "crashed", exitCode: exit.code, detail: `the runtime exited with code ${exit.code}` };
  }
  if (exit?.signal) return { state: "crashed", detail: `the runtime was killed by ${exit.signal}` };
  return {
    state: "crashed",
    detail:
      state === "foreign"
        ? `runtime process ${record.pid} is gone (its pid now belongs to another process)`
        : `runtime process ${record.pid} exited while no driver watched it (exit code unknown)`,
  };
}

function validateSpec(spec: WorkloadSpec): void {
  if (!isValidAgentId(spec.agentId)) {
    throw new EngineError("invalid_config", "spec.agentId must be 1-100 letters, digits, '_' or '-'");
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(spec.runtimeVersion)) {
    throw new EngineError("invalid_config", "spec.runtimeVersion must be a version like 2026.9.6");
  }
  if (typeof spec.name !== "string" || spec.name === "") {
    throw new EngineError("invalid_config", "spec.name must be a non-empty string");
  }
  if (!Number.isInteger(spec.resources.memoryMb) || spec.resources.memoryMb < 64) {
    throw new EngineError("invalid_config", "spec.resources.memoryMb must be an integer of at least 64");
  }
  if (typeof spec.openclawConfig !== "string") {
    throw new EngineError("invalid_config", "spec.openclawConfig must be a serialized config document");
  }
  assertValidEnv(spec.env, "spec.env");
}

function asEngineError(error: unknown, context: string): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError("engine_error", `${context}: ${message}`, { cause: error });
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
