import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { inheritedEnvironment } from "../env.ts";

const mainModule = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

/** Runs the real backend entry point as its own process, exactly as `./agentbot start` and deployments do. */
export function spawnBackend(env: Record<string, string>) {
  const child = spawn(process.execPath, [mainModule], {
    env: { ...inheritedEnvironment(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit").then(([code, signal]) => (code as number | null) ?? (signal as string));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

export type SpawnedBackend = ReturnType<typeof spawnBackend>;

/** Waits until the spawned backend answers /readyz 200. */
export async function waitUntilReady(baseUrl: string, backend: SpawnedBackend, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(`${baseUrl}/readyz`)
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    if (backend.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`backend did not become ready: ${backend.output().stderr.slice(-2_000)}`);
}
