import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Process helpers for Linux, built on /proc. Every long-running child we start gets its own process group
 * (`detached: true`), so that stopping it also stops whatever it forked (Next.js workers, PostgreSQL backends)
 * and a terminal's Ctrl-C reaches only the orchestrator, which then stops children in a chosen order.
 */

interface ProcStat {
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  /** Clock ticks since boot at which the process started: with the pid, identifies one process across pid reuse. */
  readonly startTime: string;
}

function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces; the fixed fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [state, ppid, pgid] = fields;
  const startTime = fields[19];
  if (state === undefined || ppid === undefined || pgid === undefined || startTime === undefined) return null;
  return { state, ppid: Number(ppid), pgid: Number(pgid), startTime };
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

/** True while `pid` is a running (not zombie) process. */
export function isProcessAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== "Z" && stat.state !== "X";
}

/** The start time of `pid` (see ProcStat), or null if it is gone. Store it with a pid to recognise the process later. */
export function processStartTime(pid: number): string | null {
  return readProcStat(pid)?.startTime ?? null;
}

/** True if `pid` is alive and is the same process that had `startTime` (not a later process that reused the pid). */
export function isSameProcess(pid: number, startTime: string): boolean {
  return isProcessAlive(pid) && processStartTime(pid) === startTime;
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Live (non-zombie) processes whose process group is `pgid`. */
export function processGroupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const stat = readProcStat(pid);
    return stat !== null && stat.pgid === pgid && stat.state !== "Z" && stat.state !== "X";
  });
}

/** Live processes below `pid` in the process tree (children, grandchildren, …). */
export function processDescendants(pid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const candidate of allPids()) {
    const stat = readProcStat(candidate);
    if (stat === null || stat.state === "Z" || stat.state === "X") continue;
    const siblings = childrenOf.get(stat.ppid) ?? [];
    siblings.push(candidate);
    childrenOf.set(stat.ppid, siblings);
  }
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of childrenOf.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function environmentOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
  } catch {
    return []; // gone, or another user's process we may not read
  }
}

/**
 * Live processes (other than this one) whose environment has `name=value`. Children inherit the environment across
 * fork, exec, setsid and re-parenting, so a marker variable finds every process a run started, even one whose parent
 * died (a server a killed test worker started) or that left the process group (PostgreSQL's workers).
 */
export function processesWithEnvironment(name: string, value: string): number[] {
  const entry = `${name}=${value}`;
  return allPids().filter((pid) => pid !== process.pid && isProcessAlive(pid) && environmentOf(pid).includes(entry));
}

/** SIGTERM to each of `pids`, SIGKILL to those left after `graceMs`; resolves when all are gone. */
export async function stopProcesses(pids: readonly number[], graceMs = 5_000): Promise<void> {
  for (const pid of pids) killQuietly(pid, "SIGTERM");
  if (await waitUntil(() => !pids.some(isProcessAlive), graceMs)) return;
  for (const pid of pids) killQuietly(pid, "SIGKILL");
  await waitUntil(() => !pids.some(isProcessAlive), 5_000);
}

/** Polls `condition` every `intervalMs` until it is true (returns true) or `timeoutMs` passes (returns false). */
export async function waitUntil(condition: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

export interface StopProcessGroupOptions {
  /** The group leader's pid (== the group id for processes spawned by `spawnProcessGroup`). */
  readonly pgid: number;
  /** First signal. PostgreSQL's fast shutdown is SIGINT; most servers stop on SIGTERM. */
  readonly signal?: NodeJS.Signals;
  /** Send the first signal to the leader only (PostgreSQL: the postmaster stops its own workers) or the whole group. */
  readonly leaderOnly?: boolean;
  /** How long the processes may take to exit before they get SIGKILL. */
  readonly graceMs?: number;
}

/**
 * Stops a process group and every descendant of its leader (PostgreSQL's workers call setsid(), so they are not in
 * the postmaster's group): `signal`, then SIGKILL for whatever is left after `graceMs`. Resolves once none of those
 * processes is alive. Returns true if SIGKILL was needed.
 */
export async function stopProcessGroup(options: StopProcessGroupOptions): Promise<boolean> {
  const { pgid, signal = "SIGTERM", leaderOnly = false, graceMs = 10_000 } = options;
  const tracked = new Set<number>();
  const remaining = (): number[] => {
    // Descendants are re-read while the leader lives: it may fork more workers while shutting down.
    for (const pid of [...processGroupMembers(pgid), ...processDescendants(pgid)]) tracked.add(pid);
    return [...tracked].filter(isProcessAlive);
  };
  if (remaining().length === 0) return false;
  if (leaderOnly) killQuietly(pgid, signal);
  else killQuietly(-pgid, signal);
  if (await waitUntil(() => remaining().length === 0, graceMs)) return false;
  killQuietly(-pgid, "SIGKILL");
  for (const pid of remaining()) killQuietly(pid, "SIGKILL");
  await waitUntil(() => remaining().length === 0, 5_000);
  return true;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the group leader exits (whether or not we asked it to). */
  readonly exited: Promise<ProcessExit>;
}

/**
 * Spawns `command` (never through a shell) as the leader of a new process group. Throws if it cannot be started
 * (e.g. ENOENT) rather than reporting that later.
 */
export async function spawnProcessGroup(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, "detached" | "shell"> = {},
): Promise<GroupProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true, shell: false });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  return { child, pid, exited };
}

export interface ServerProcess extends GroupProcess {
  /** The last lines it printed, for error messages. */
  readonly tail: LineTail;
  readonly hasExited: () => boolean;
  /** Stops it and everything it started (see stopProcessGroup). Idempotent: later calls share the first stop. */
  readonly stop: () => Promise<void>;
}

/**
 * `spawnProcessGroup` for a long-running server: each stdout/stderr line goes to `onLog` and into a tail, and
 * `stop()` stops the whole process tree as `stopOptions` say.
 */
export async function spawnServer(
  command: string,
  args: readonly string[],
  options: {
    readonly spawn?: Omit<SpawnOptions, "detached" | "shell">;
    readonly onLog?: ((line: string) => void) | undefined;
    readonly stop: Omit<StopProcessGroupOptions, "pgid">;
  },
): Promise<ServerProcess> {
  const proc = await spawnProcessGroup(command, args, options.spawn);
  const tail = new LineTail();
  const onLine = (line: string): void => {
    tail.push(line);
    options.onLog?.(line);
  };
  forEachLine(proc.child.stdout, onLine);
  forEachLine(proc.child.stderr, onLine);
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopProcessGroup({ ...options.stop, pgid: proc.pid }).then(() => undefined);
    return stopping;
  };
  return { ...proc, tail, hasExited: () => exited, stop };
}

/** Calls `onLine` for each line of `stream` (without the newline). */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on("line", onLine);
}

/** Keeps the last `size` lines given to `push`, for error messages that show what a process said before dying. */
export class LineTail {
  readonly #size: number;
  readonly #lines: string[] = [];

  constructor(size = 30) {
    this.#size = size;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#size) this.#lines.shift();
  }

  toString(): string {
    return this.#lines.join("\n");
  }
}
