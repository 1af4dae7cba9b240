import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { E2eRun } from "./e2e-run.ts";

/**
 * Where this run's backend keeps its local-engine agents, and how they are cleaned up. The local engine runs each
 * agent (here: the fake OpenClaw runtime) as a detached process group that outlives the backend on purpose (a
 * restarted backend re-adopts them), so after the backend stops, whatever a failed test left running is killed here.
 */

export function agentsDirFor(run: E2eRun): string {
  return join(tmpdir(), `${run.databaseName}-agents`);
}

/** A first agent port per run (30000–53880, 120 apart as the local engine requires), away from `./agentbot start`'s. */
export function agentPortBaseFor(run: E2eRun): number {
  const seed = Number.parseInt(run.databaseName.slice(-8), 16);
  return 30_000 + (seed % 200) * 120;
}

/** Kills every agent process recorded under `agentsDir` that is still that agent's runtime, then removes the dir. */
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
      try {
        process.kill(-pid, "SIGKILL");
        console.error(`[e2e] killed leftover agent runtime ${agentId} (pid ${pid})`);
      } catch {
        // Already gone.
      }
    }
  }
  await rm(agentsDir, { recursive: true, force: true });
}

async function recordedPid(recordFile: string): Promise<number | null> {
  try {
    const record = JSON.parse(await readFile(recordFile, "utf8")) as { pid?: unknown };
    return typeof record.pid === "number" && Number.isInteger(record.pid) && record.pid > 1 ? record.pid : null;
  } catch {
    return null;
  }
}

async function environmentOf(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/environ`, "utf8")).split("\0");
  } catch {
    return [];
  }
}
