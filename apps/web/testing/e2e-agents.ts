import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentOf, runtimeProcessesUnder } from "./agent-processes.ts";

/**
 * Where a run's backends keep their local-engine agents, and how they are cleaned up. The local engine runs each agent
 * (the fake OpenClaw runtime, or the real one in the OpenClaw stack) as a detached process group that outlives the
 * backend on purpose (a restarted backend re-adopts them), so after a backend stops, whatever a failed test left
 * running is killed here.
 */

/** A stack is named by its database (e2e-run.ts): the run itself for the first stack, `run.openclaw` for the second. */
interface Stack {
  readonly databaseName: string;
}

export function agentsDirFor(stack: Stack): string {
  return join(tmpdir(), `${stack.databaseName}-agents`);
}

const seedOf = (stack: Stack) => Number.parseInt(stack.databaseName.slice(-8), 16);

/** A first agent port per run (30000–53880, 120 apart as the local engine requires), away from `./agentbot start`'s. */
export function agentPortBaseFor(stack: Stack): number {
  return 30_000 + (seedOf(stack) % 200) * 120;
}

/**
 * The OpenClaw stack's first agent port (56000–59480; the backend accepts at most 60000), above the fake stack's range
 * (whose agents count up from at most 53880), so the two backends' runtimes (and OpenClaw's helper ports up to +110)
 * never meet.
 */
export function openclawAgentPortBaseFor(stack: Stack): number {
  return 56_000 + (seedOf(stack) % 30) * 120;
}

/**
 * Kills every agent runtime of `agentsDir` that is still running (the recorded process group of each agent, then any
 * process whose environment still points into the dir), then removes the dir.
 */
export async function removeLeftoverAgents(agentsDir: string): Promise<void> {
  let agentIds: string[];
  try {
    agentIds = await readdir(agentsDir);
  } catch {
    return;
  }
  for (const agentId of agentIds) {
    const agentDir = join(agentsDir, agentId);
    const pid = await recordedPid(join(agentDir, "workload.json"));
    // Only a process whose environment names this agent's state directory: never a stranger that reused the pid.
    if (pid !== null && (await environmentOf(pid)).includes(`OPENCLAW_STATE_DIR=${join(agentDir, "state")}`)) {
      killQuietly(-pid, `leftover agent runtime ${agentId} (process group ${pid})`);
    }
  }
  // A killed group takes a moment to disappear; then any process still pointing into the dir is one the groups missed.
  for (let waited = 0; waited < 2_000 && (await runtimeProcessesUnder(agentsDir)).length > 0; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const { pid, stateDir } of await runtimeProcessesUnder(agentsDir)) {
    killQuietly(pid, `leftover runtime process ${pid} (${stateDir})`);
  }
  await rm(agentsDir, { recursive: true, force: true });
}

function killQuietly(pid: number, what: string): void {
  try {
    process.kill(pid, "SIGKILL");
    console.error(`[e2e] killed ${what}`);
  } catch {
    // Already gone.
  }
}

async function recordedPid(recordFile: string): Promise<number | null> {
  try {
    const record = JSON.parse(await readFile(recordFile, "utf8")) as { pid?: unknown };
    return typeof record.pid === "number" && Number.isInteger(record.pid) && record.pid > 1 ? record.pid : null;
  } catch {
    return null;
  }
}
