import { readdir, readFile } from "node:fs/promises";
import { join, sep } from "node:path";

/**
 * Finds agent runtimes by what the local engine gives each of them: an environment whose OPENCLAW_STATE_DIR lies in
 * that agent's directory (`<agentsDir>/<agentId>/state`). Unlike the pid in the driver's record, this also finds
 * processes a runtime spawned, and runtimes whose record was never written. Linux only (/proc); processes of other
 * users are invisible (their environ cannot be read), which is fine for tests that start everything themselves.
 */

export interface RuntimeProcess {
  readonly pid: number;
  readonly stateDir: string;
}

/** Every live process whose OPENCLAW_STATE_DIR is inside `dir` (an agents dir, or one agent's dir). */
export async function runtimeProcessesUnder(dir: string): Promise<RuntimeProcess[]> {
  const prefix = dir.endsWith(sep) ? dir : `${dir}${sep}`;
  const found: RuntimeProcess[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stateDir = (await environmentOf(Number(entry)))
      .find((variable) => variable.startsWith("OPENCLAW_STATE_DIR="))
      ?.slice("OPENCLAW_STATE_DIR=".length);
    if (stateDir?.startsWith(prefix)) found.push({ pid: Number(entry), stateDir });
  }
  return found;
}

/** The process's environment (empty when it is gone, a zombie, or not ours). */
export async function environmentOf(pid: number): Promise<string[]> {
  try {
    return (await readFile(join("/proc", String(pid), "environ"), "utf8")).split("\0");
  } catch {
    return [];
  }
}
