import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Memory the kernel says can still be given to new processes without swapping (MemAvailable), in MB. */
export async function availableMemoryMb(): Promise<number> {
  const meminfo = await readFile("/proc/meminfo", "utf8");
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  return match ? Math.floor(Number(match[1]) / 1024) : Math.floor(os.freemem() / 1024 / 1024);
}

/** Resident memory of one process in MB (null when it is gone). */
export async function residentMemoryMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU jiffies of the whole machine (all cores), from /proc/stat. */
export async function machineCpuTicks(): Promise<{ busy: number; total: number }> {
  const stat = await readFile("/proc/stat", "utf8");
  const fields = (stat.split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Clock ticks per second of /proc/stat (USER_HZ; 100 on every Linux build that matters). */
export const TICKS_PER_SECOND = 100;

async function gitCommit(): Promise<string | null> {
  try {
    const { stdout } = await run("git", ["rev-parse", "--short", "HEAD"], { cwd: import.meta.dirname });
    return stdout.trim();
  } catch {
    return null;
  }
}

/** What the figures were measured on: they mean little without it. */
export async function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    availableMemoryMbAtStart: await availableMemoryMb(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: await gitCommit(),
    measuredAt: new Date().toISOString(),
  };
}

export type MachineInfo = Awaited<ReturnType<typeof machineInfo>>;

/**
 * How busy the machine was while a benchmark ran: load averages before and after, and the share of all cores that
 * was busy (whoever used it). Other work on a shared machine (builds, test runs) skews timings; this makes it visible.
 */
export async function startLoadMonitor() {
  const loadBefore = os.loadavg().map((value) => Math.round(value * 100) / 100);
  const ticksBefore = await machineCpuTicks();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  return async () => {
    const ticksAfter = await machineCpuTicks();
    const own = process.cpuUsage(ownBefore);
    const wallMs = performance.now() - started;
    const total = ticksAfter.total - ticksBefore.total;
    return {
      loadAverageBefore: loadBefore,
      loadAverageAfter: os.loadavg().map((value) => Math.round(value * 100) / 100),
      /** All cores together, 0–100 %. */
      machineBusyPercent: total > 0 ? Math.round(((ticksAfter.busy - ticksBefore.busy) / total) * 1000) / 10 : null,
      /** This benchmark process alone, in % of one core. */
      benchProcessCpuPercentOfOneCore: Math.round(((own.user + own.system) / 1000 / wallMs) * 1000) / 10,
    };
  };
}

export type LoadReport = Awaited<ReturnType<Awaited<ReturnType<typeof startLoadMonitor>>>>;

/** One line for a summary. */
export function describeLoad(load: LoadReport): string {
  return `Machine load while measuring: load average ${load.loadAverageBefore.join(" / ")} before, ${load.loadAverageAfter.join(" / ")} after; all cores ${load.machineBusyPercent ?? "?"} % busy (this process: ${load.benchProcessCpuPercentOfOneCore} % of one core). Other work on this shared machine inflates timings.`;
}

/** CPU time (user + system) one process has used so far, in ms, from /proc/<pid>/stat (null when it is gone). */
export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // After "pid (comm) ": field 3 (state) is index 0, so utime (field 14) is index 11 and stime (15) index 12.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
