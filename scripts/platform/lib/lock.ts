import { open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { isSameProcess, processStartTime, stopProcessGroup } from "@agentbot/local-infra";
import { z } from "zod";
import { stopMarkedProcesses } from "./supervisor.ts";

/**
 * The lock file of a running `./agentbot start`. It names the owner (pid + start time, so a reused pid is not
 * mistaken for it), the URLs it serves, and the process groups it started, so that a later run can stop what a
 * killed run left behind before taking over.
 */
const LockedChild = z.object({
  name: z.string(),
  pid: z.number().int().positive(),
  startTime: z.string(),
  signal: z.enum(["SIGTERM", "SIGINT"]),
  leaderOnly: z.boolean(),
});
export type LockedChild = z.infer<typeof LockedChild>;

const LockContent = z.object({
  pid: z.number().int().positive(),
  startTime: z.string(),
  urls: z.record(z.string(), z.string()),
  children: z.array(LockedChild),
});
type LockContent = z.infer<typeof LockContent>;

export type AcquireResult =
  | { readonly acquired: true; readonly lock: StartLock; readonly tookOver: LockContent | null }
  | { readonly acquired: false; readonly holder: LockContent };

export class StartLock {
  readonly #file: string;
  readonly #content: LockContent;
  #released = false;

  constructor(file: string, content: LockContent) {
    this.#file = file;
    this.#content = content;
  }

  /** Records a child process group so a later run can stop it if this one is killed. */
  async addChild(child: Omit<LockedChild, "startTime">): Promise<void> {
    const startTime = processStartTime(child.pid);
    if (startTime === null) return;
    this.#content.children.push({ ...child, startTime });
    await this.#write();
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await unlink(this.#file).catch(() => undefined);
  }

  async #write(): Promise<void> {
    if (this.#released) return;
    const temporary = `${this.#file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(this.#content, null, 2));
    await rename(temporary, this.#file);
  }
}

async function readLock(file: string): Promise<LockContent | null | "missing"> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return "missing";
  }
  try {
    return LockContent.parse(JSON.parse(text));
  } catch {
    return null; // unreadable: a run killed while writing it
  }
}

function isLive(content: LockContent): boolean {
  return isSameProcess(content.pid, content.startTime);
}

/** Stops the process groups a dead owner recorded and that are still the same processes. */
export async function stopLeftovers(content: LockContent, onProgress: (message: string) => void): Promise<void> {
  // Reverse start order, like a normal shutdown: web, backend, then PostgreSQL.
  for (const child of [...content.children].reverse()) {
    if (!isSameProcess(child.pid, child.startTime)) continue;
    onProgress(`stopping ${child.name} (pid ${child.pid}) left running by the killed run…`);
    await stopProcessGroup({ pgid: child.pid, signal: child.signal, leaderOnly: child.leaderOnly, graceMs: 15_000 });
  }
  const others = await stopMarkedProcesses(content.pid, content.startTime);
  if (others > 0) onProgress(`stopped ${others} more process(es) started by the killed run`);
}

/**
 * Creates the lock file atomically. If it exists and its owner lives, returns the holder. If its owner is dead
 * (killed run), stops the leftovers it recorded and takes the lock over.
 */
export async function acquireStartLock(
  file: string,
  urls: Record<string, string>,
  onProgress: (message: string) => void,
): Promise<AcquireResult> {
  const startTime = processStartTime(process.pid);
  if (startTime === null) throw new Error("cannot read this process's start time from /proc");
  const content: LockContent = { pid: process.pid, startTime, urls, children: [] };
  let tookOver: LockContent | null = null;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const handle = await open(file, "wx", 0o644);
      await handle.writeFile(JSON.stringify(content, null, 2));
      await handle.close();
      return { acquired: true, lock: new StartLock(file, content), tookOver };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const existing = await readLock(file);
    if (existing === "missing") continue;
    if (existing !== null && isLive(existing)) return { acquired: false, holder: existing };
    // Stale. Move it aside first: of two runs taking over at once, only one rename succeeds.
    const aside = `${file}.stale.${process.pid}`;
    try {
      await rename(file, aside);
    } catch {
      continue;
    }
    const moved = await readLock(aside);
    if (moved !== "missing" && moved !== null && isLive(moved)) {
      // Another run took over between our read and our rename: put its lock back and report it.
      await rename(aside, file).catch(() => undefined);
      return { acquired: false, holder: moved };
    }
    await unlink(aside).catch(() => undefined);
    if (moved !== "missing" && moved !== null) {
      onProgress(`found a stale lock from a run that was killed (pid ${moved.pid}): taking over`);
      await stopLeftovers(moved, onProgress);
      tookOver = moved;
    } else {
      onProgress("found an unreadable lock file from an earlier run: taking over");
    }
  }
  throw new Error(`could not create ${file} (it keeps changing): is another ./agentbot start starting?`);
}
