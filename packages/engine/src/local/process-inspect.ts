import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

/**
 * What the local driver can learn about a process it may not have started itself (Linux /proc). Without /proc
 * (macOS) a process cannot be tied to its agent, so re-adoption after a backend restart does not happen there: such
 * processes are reported as gone and never signalled.
 */

const HAS_PROC = existsSync("/proc/self/stat");

interface ProcStat {
  /** R, S, D, Z (zombie), T, X (dead)… */
  readonly state: string;
  /** Start time after boot in clock ticks (field 22): with the pid, it names one process for the machine's uptime. */
  readonly startTicks: string;
}

async function readProcStat(pid: number): Promise<ProcStat | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTicks = fields[19];
  return state && startTicks ? { state, startTicks } : null;
}

/** The start time to store with a pid we just spawned (null without /proc). */
export async function processStartTicks(pid: number): Promise<string | null> {
  return (await readProcStat(pid))?.startTicks ?? null;
}

/** Whether `pid` is a running process. A zombie (exited, not yet reaped by its parent) is not running. */
export async function isProcessRunning(pid: number): Promise<boolean> {
  if (!HAS_PROC) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  }
  const stat = await readProcStat(pid);
  return stat !== null && stat.state !== "Z" && stat.state !== "X";
}

/**
 * Whether the process that started at `startTicks` still runs at `pid`, exiting included: a process tearing down no
 * longer shows its environment (so `isAgentProcess` says no) but may still hold its port until it is a zombie.
 * Without /proc a process cannot be told from another that got its pid: false.
 */
export async function isSameProcessRunning(pid: number, startTicks: string): Promise<boolean> {
  if (!HAS_PROC) return false;
  const stat = await readProcStat(pid);
  return stat !== null && stat.state !== "Z" && stat.state !== "X" && stat.startTicks === startTicks;
}

/**
 * Whether the running process `pid` is still the runtime we started for an agent and not another process that got
 * the same pid later: same start time (when recorded) and `OPENCLAW_STATE_DIR` = that agent's state dir in its
 * environment. Processes we may not inspect are not ours.
 */
export async function isAgentProcess(
  pid: number,
  expected: { readonly stateDir: string; readonly startTicks: string | null },
): Promise<boolean> {
  if (!HAS_PROC) return false;
  const stat = await readProcStat(pid);
  if (stat === null || stat.state === "Z" || stat.state === "X") return false;
  if (expected.startTicks !== null && stat.startTicks !== expected.startTicks) return false;
  const environ = await readProcessEnviron(pid);
  return environ?.get("OPENCLAW_STATE_DIR") === expected.stateDir;
}

/** The environment `pid` was started with, or null when it cannot be read. */
export async function readProcessEnviron(pid: number): Promise<Map<string, string> | null> {
  let raw: string;
  try {
    raw = await readFile(`/proc/${pid}/environ`, "utf8");
  } catch {
    return null;
  }
  const environ = new Map<string, string>();
  for (const entry of raw.split("\0")) {
    const equals = entry.indexOf("=");
    if (equals > 0) environ.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return environ;
}

/** Sends `signal` to the process group `pgid`; answers false when the group no longer exists. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}
