import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  findFreePort,
  isProcessAlive,
  processDescendants,
  processGroupMembers,
  waitUntil,
} from "@agentbot/local-infra";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEnvironment } from "./env.ts";
import { spawnCaptured, waitForOutput } from "./support/captured-process.ts";
import type { CapturedProcess } from "./support/captured-process.ts";

/**
 * `./agentbot start` as a real process (with --no-web, which skips the Next.js build to keep this fast): the lock
 * against a second start, a clean Ctrl-C that leaves no process behind, and recovery after the orchestrator was
 * killed. Runs the real backend against embedded PostgreSQL in a temp data directory.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const startScript = path.join(repoRoot, "scripts", "platform", "start.ts");

const runs: CapturedProcess[] = [];
let dataDir: string;
let env: NodeJS.ProcessEnv;
let backendPort: number;

function startPlatform(): CapturedProcess {
  const run = spawnCaptured(process.execPath, [startScript, "--no-web"], { cwd: repoRoot, env });
  runs.push(run);
  return run;
}

/** Every process the run started, by pid: the groups in its lock file and the descendants of its children. */
async function startedProcesses(run: CapturedProcess): Promise<{ groups: number[]; pids: number[] }> {
  const lock = JSON.parse(await readFile(path.join(dataDir, "start.lock"), "utf8")) as {
    pid: number;
    children: { name: string; pid: number }[];
  };
  expect(lock.pid).toBe(run.pid);
  expect(lock.children.map((child) => child.name).sort()).toEqual(["backend", "postgres"]);
  const groups = lock.children.map((child) => child.pid);
  const pids = [
    ...new Set([...processDescendants(run.pid), ...groups.flatMap((pid) => [pid, ...processDescendants(pid)])]),
  ];
  return { groups, pids };
}

async function expectAllGone(started: { groups: number[]; pids: number[] }): Promise<void> {
  await waitUntil(() => started.pids.every((pid) => !isProcessAlive(pid)), 5_000);
  expect(started.pids.filter(isProcessAlive)).toEqual([]);
  expect(started.groups.flatMap(processGroupMembers)).toEqual([]);
  expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "agentbot-start-test-"));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as 'postgres' and must be able to enter it
  backendPort = await findFreePort();
  env = startEnvironment({
    AGENTBOT_DATA_DIR: dataDir,
    AGENTBOT_POSTGRES_PORT: String(await findFreePort()),
    AGENTBOT_BACKEND_PORT: String(backendPort),
    LOG_LEVEL: "warn",
  });
});

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill("SIGINT");
      await run.exited;
    }
  }
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("./agentbot start", () => {
  it("refuses a second start while one runs, and Ctrl-C stops every child process", async () => {
    const first = startPlatform();
    await waitForOutput(first, /Agentbot is running/);
    expect(first.output()).toContain(`http://127.0.0.1:${backendPort}`);
    const health = await fetch(`http://127.0.0.1:${backendPort}/readyz`);
    expect(health.status).toBe(200);

    const second = startPlatform();
    const secondExit = await second.exited;
    expect(secondExit.code).not.toBe(0);
    expect(second.output()).toContain(`already running (pid ${first.pid}) at backend http://127.0.0.1:${backendPort}`);

    const started = await startedProcesses(first);
    expect(started.pids.length).toBeGreaterThan(2); // backend, postmaster and its workers
    first.child.kill("SIGINT");
    expect(await first.exited).toEqual({ code: 0, signal: null });
    await expectAllGone(started);
    expect(existsSync(path.join(dataDir, "start.lock"))).toBe(false);
  });

  it("after the orchestrator was killed, the next start stops its leftovers and takes over", async () => {
    const killed = startPlatform();
    await waitForOutput(killed, /Agentbot is running/);
    const leftovers = await startedProcesses(killed);
    killed.child.kill("SIGKILL");
    await killed.exited;
    // Its children run in their own process groups, so they outlive it: the situation the next start must handle.
    expect(leftovers.groups.some(isProcessAlive)).toBe(true);

    const next = startPlatform();
    await waitForOutput(next, /Agentbot is running/);
    expect(next.output()).toMatch(/stale lock from a run that was killed \(pid \d+\)/);
    expect(leftovers.pids.filter(isProcessAlive)).toEqual([]);

    const started = await startedProcesses(next);
    next.child.kill("SIGTERM");
    expect((await next.exited).code).toBe(0);
    await expectAllGone(started);
  });
});
