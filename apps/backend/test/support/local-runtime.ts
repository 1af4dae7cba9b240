import { readFile } from "node:fs/promises";
import path from "node:path";

/** The pid of an agent's runtime process, from the local driver's record (`<root>/<agentId>/workload.json`). */
export async function runtimePid(rootDir: string, agentId: string): Promise<number> {
  const record = JSON.parse(await readFile(path.join(rootDir, agentId, "workload.json"), "utf8")) as {
    pid: number | null;
  };
  if (!record.pid) throw new Error(`agent ${agentId} has no runtime process`);
  return record.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment a process was started with, from /proc (Linux). */
export async function processEnvironment(pid: number): Promise<Map<string, string>> {
  const raw = await readFile(`/proc/${pid}/environ`, "utf8");
  return new Map(
    raw
      .split("\0")
      .filter(Boolean)
      .map((entry) => {
        const separator = entry.indexOf("=");
        return [entry.slice(0, separator), entry.slice(separator + 1)] as const;
      }),
  );
}
