import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import { waitUntil } from "@agentbot/local-infra";

/** A process started by a test, its stdout and stderr collected together. */
export interface CapturedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCaptured(command: string, args: readonly string[], options: SpawnOptions): CapturedProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  return { child, pid: child.pid, output: () => output, exited };
}

/** Waits until the process prints `pattern` (fails with its output if it exits first or the time runs out). */
export async function waitForOutput(run: CapturedProcess, pattern: RegExp, timeoutMs = 150_000): Promise<void> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  const found = await waitUntil(() => pattern.test(run.output()) || exited, timeoutMs, 100);
  if (!found || !pattern.test(run.output())) {
    throw new Error(`did not print ${String(pattern)}${exited ? " (it exited)" : ""}. Output:\n${run.output()}`);
  }
}
