import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { childProcessEnv, pathEntries } from "./env.ts";
import { forEachLine, LineTail } from "./processes.ts";

export type Progress = (message: string) => void;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The first executable named `name` on PATH or in `extraDirs`, or null. */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | null {
  for (const dir of [...pathEntries(), ...extraDirs]) {
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return null;
}

export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/** uid/gid of a local user from /etc/passwd, or null if there is no such user. */
export function lookupUser(name: string): UserIds | null {
  let passwd: string;
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return null;
  }
  for (const line of passwd.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/**
 * Runs a command to completion (argument array, no shell), streaming its output lines to `onLine`.
 * Rejects with the command's last lines if it fails.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { onLine?: (line: string) => void; env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {},
): Promise<void> {
  const tail = new LineTail(20);
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env ?? childProcessEnv(),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  const onLine = (line: string): void => {
    tail.push(line);
    options.onLine?.(line);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (code !== 0) {
    const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
    throw new Error(`${command} ${args.join(" ")} failed (${how}):\n${tail.toString()}`);
  }
}

/**
 * `apt-get update` then `apt-get install -y <packages>`, as root, with apt's output passed to `onProgress` line by
 * line so a long install is visibly progressing.
 */
export async function aptInstall(packages: readonly string[], onProgress: Progress): Promise<void> {
  const env = childProcessEnv({ DEBIAN_FRONTEND: "noninteractive" });
  const onLine = (line: string): void => onProgress(`  apt: ${line}`);
  onProgress(`apt-get update (to install ${packages.join(", ")})…`);
  await runCommand("apt-get", ["update"], { env, onLine });
  onProgress(`apt-get install -y ${packages.join(" ")}…`);
  await runCommand("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env, onLine });
}
