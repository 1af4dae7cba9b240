import { once } from "node:events";
import { readdir, readlink } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/** A TCP port free on loopback right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/**
 * Pids of processes whose working directory is inside `dir`: runtimes the local driver (or a raw baseline run)
 * started there run with their state directory as cwd. Used to prove a benchmark left nothing running.
 */
export async function processesUnder(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (cwd !== null && (cwd === dir || cwd.startsWith(`${dir}/`))) found.push(Number(entry));
  }
  return found;
}

/** Kills what `processesUnder(dir)` finds (SIGKILL to each process group) and answers how many there were. */
export async function killProcessesUnder(dir: string): Promise<number> {
  const pids = await processesUnder(dir);
  for (const pid of pids) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  return pids.length;
}
