import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalDriver, EngineError } from "../src/index.ts";
import type { LocalDriver, RuntimeLauncher, WorkloadRef, WorkloadSpec } from "../src/index.ts";
import { describeEngineDriver, fakeRuntimeLauncher, isLive, waitFor } from "../src/testing/index.ts";
import { deleteParentEnv, parentEnv, setParentEnv } from "./env.ts";

// Each test file runs in its own worker; a random slot range keeps parallel files (and other runs) apart. The driver
// skips slots that are not bindable anyway.
const PORT_BASE = 21_000 + 120 * Math.floor(Math.random() * 200);
const READY_TIMEOUT_MS = 15_000;
const rootDirs: string[] = [];

async function makeRootDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "agentbot-local-driver-"));
  rootDirs.push(dir);
  return dir;
}

let specCounter = 0;
function makeSpec(overrides: Partial<WorkloadSpec> = {}): WorkloadSpec {
  specCounter += 1;
  return {
    agentId: `agt_test${specCounter}${randomBytes(4).toString("hex")}`,
    name: `test-agent-${specCounter}`,
    runtimeVersion: "2026.9.6-fake",
    resources: { cpuMillicores: 500, memoryMb: 256 },
    openclawConfig: JSON.stringify({
      gateway: {
        mode: "local",
        bind: "loopback",
        auth: { mode: "token" },
        http: { endpoints: { chatCompletions: { enabled: true } } },
      },
    }),
    env: { OPENCLAW_GATEWAY_TOKEN: randomBytes(32).toString("base64url") },
    ...overrides,
  };
}

interface RecordOnDisk {
  pid: number | null;
  port: number;
  runtimeVersion: string;
  startedAt: string | null;
  desiredState: string;
  processStartTicks: string | null;
  lastExit: { code: number | null } | null;
}

async function readRecord(rootDir: string, agentId: string): Promise<RecordOnDisk> {
  return JSON.parse(await readFile(join(rootDir, agentId, "workload.json"), "utf8")) as RecordOnDisk;
}

async function pidOf(rootDir: string, agentId: string): Promise<number> {
  const { pid } = await readRecord(rootDir, agentId);
  if (pid === null) throw new Error(`no pid recorded for ${agentId}`);
  return pid;
}

/** Whether a process runs (zombies do not count). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

async function environOf(pid: number): Promise<Map<string, string>> {
  const raw = await readFile(`/proc/${pid}/environ`, "utf8");
  return new Map(
    raw
      .split("\0")
      .filter((entry) => entry.includes("="))
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)] as const),
  );
}

/** Every running process whose OPENCLAW_STATE_DIR lies under one of `roots`: the runtimes these tests started. */
async function runtimesUnder(roots: readonly string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stateDir = await environOf(pid).then(
      (environ) => environ.get("OPENCLAW_STATE_DIR"),
      () => undefined,
    );
    if (stateDir && roots.some((root) => stateDir.startsWith(`${root}/`)) && (await isRunning(pid))) found.push(pid);
  }
  return found;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function killRuntimesUnder(roots: readonly string[]): Promise<void> {
  for (const pid of await runtimesUnder(roots)) killGroup(pid);
  await waitFor("the test runtimes to exit", async () => (await runtimesUnder(roots)).length === 0, {
    timeoutMs: 10_000,
  });
}

function localDriver(rootDir: string, options: { portBase?: number; stopGraceMs?: number } = {}): LocalDriver {
  return createLocalDriver({
    rootDir,
    launcher: fakeRuntimeLauncher({ unavailableVersions: ["0.0.0-unavailable"] }),
    portBase: options.portBase ?? PORT_BASE,
    stopGraceMs: options.stopGraceMs ?? 3_000,
  });
}

async function waitUntilLive(driver: LocalDriver, ref: WorkloadRef): Promise<void> {
  await waitFor(`${ref.agentId} to answer /healthz`, () => isLive(driver.endpoint(ref).baseUrl), {
    timeoutMs: READY_TIMEOUT_MS,
  });
}

afterAll(async () => {
  // Nothing may outlive the suite: no runtime process, no temporary directory.
  await killRuntimesUnder(rootDirs);
  await Promise.all(rootDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  expect(await runtimesUnder(rootDirs)).toEqual([]);
  for (const dir of rootDirs) expect(existsSync(dir)).toBe(false);
}, 30_000);

describeEngineDriver("local", async () => {
  const rootDir = await makeRootDir();
  const driver = localDriver(rootDir);
  return {
    driver,
    makeSpec,
    readyTimeoutMs: READY_TIMEOUT_MS,
    async crash(ref) {
      killGroup(await pidOf(rootDir, ref.agentId));
    },
    async cleanup() {
      await driver.close();
      await killRuntimesUnder([rootDir]);
      await rm(rootDir, { recursive: true, force: true });
    },
  };
});

describe("local driver", () => {
  it("lays out the agent directory: private state dir and config, runtime.log, launch file and record", async () => {
    const rootDir = await makeRootDir();
    const driver = localDriver(rootDir);
    const spec = makeSpec();
    const steps: string[] = [];
    const ref = await driver.create(spec, { onProgress: (step) => steps.push(step) });
    try {
      expect(steps).toEqual(
        expect.arrayContaining(["runtime.prepare", "state.prepare", "port.allocated", "process.spawned"]),
      );
      await waitUntilLive(driver, ref);
      const agentDir = join(rootDir, spec.agentId);
      const mode = async (path: string) => (await stat(path)).mode & 0o777;
      expect(await mode(agentDir)).toBe(0o700);
      expect(await mode(join(agentDir, "state"))).toBe(0o700);
      expect(await mode(join(agentDir, "state", "openclaw.json"))).toBe(0o600);
      expect(await mode(join(agentDir, "launch.json"))).toBe(0o600);
      expect(await mode(join(agentDir, "workload.json"))).toBe(0o600);
      expect(await readFile(join(agentDir, "state", "openclaw.json"), "utf8")).toBe(spec.openclawConfig);

      const record = await readRecord(rootDir, spec.agentId);
      expect(record).toMatchObject({ runtimeVersion: spec.runtimeVersion, desiredState: "running", lastExit: null });
      expect(record.pid).toBe(ref.data.pid);
      expect(driver.endpoint(ref).baseUrl).toBe(`http://127.0.0.1:${record.port}`);
      expect(Number.isNaN(Date.parse(record.startedAt ?? ""))).toBe(false);
      expect(record.processStartTicks).toMatch(/^\d+$/);

      const log = await readFile(join(agentDir, "runtime.log"), "utf8");
      expect(log).toContain(`gateway listening on port ${record.port}`);
      const lines = await driver.logs(ref, { limit: 50 });
      expect(lines.find((line) => line.stream === "engine")?.text).toMatch(/^starting runtime 2026\.9\.6-fake/);
      expect(lines.some((line) => line.stream === "stdout" && line.text.includes("gateway listening"))).toBe(true);
    } finally {
      await driver.delete(ref);
      await driver.close();
    }
    expect(existsSync(join(rootDir, spec.agentId))).toBe(false);
  }, 30_000);

  it("gives the runtime only its spec, the launcher's env and the driver's own variables: no parent secret", async () => {
    const sentinel = "AGENTBOT_TEST_PLATFORM_SECRET";
    setParentEnv(sentinel, "platform-secret-that-must-not-leak");
    const rootDir = await makeRootDir();
    const driver = localDriver(rootDir);
    const spec = makeSpec({
      resources: { cpuMillicores: 250, memoryMb: 1000 },
      env: { OPENCLAW_GATEWAY_TOKEN: randomBytes(32).toString("hex"), OPENROUTER_API_KEY: "sk-or-test" },
    });
    const ref = await driver.create(spec);
    try {
      expect(parentEnv(sentinel)).toBe("platform-secret-that-must-not-leak");
      await waitUntilLive(driver, ref);
      const pid = await pidOf(rootDir, spec.agentId);
      const environ = await environOf(pid);
      expect(environ.has(sentinel)).toBe(false);
      const stateDir = join(rootDir, spec.agentId, "state");
      expect(Object.fromEntries(environ)).toEqual({
        ...spec.env,
        FAKE_RUNTIME_VERSION: spec.runtimeVersion,
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: stateDir,
        OPENCLAW_STATE_DIR: stateDir,
        NODE_OPTIONS: "--max-old-space-size=750",
        OPENCLAW_NO_RESPAWN: "1",
        OPENCLAW_DISABLE_BONJOUR: "1",
        OPENCLAW_NO_AUTO_UPDATE: "1",
      });
      // Spawned with an argument array, exactly OpenClaw's arguments.
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
      expect(cmdline.slice(1, 4)).toEqual([
        expect.stringMatching(/fake-runtime-main\.ts$/),
        "gateway",
        "--allow-unconfigured",
      ]);
      expect(cmdline).toContain(`${(await readRecord(rootDir, spec.agentId)).port}`);
    } finally {
      deleteParentEnv(sentinel);
      await driver.delete(ref);
      await driver.close();
    }
  }, 30_000);

  it("a new driver instance on the same rootDir re-adopts running runtimes and can stop and start them", async () => {
    const rootDir = await makeRootDir();
    const first = localDriver(rootDir);
    const spec = makeSpec();
    const ref = await first.create(spec);
    await waitUntilLive(first, ref);
    const pid = await pidOf(rootDir, spec.agentId);
    await first.close();
    await expect(first.status(ref)).rejects.toMatchObject({ code: "unavailable" });

    const second = localDriver(rootDir);
    try {
      expect(await isRunning(pid)).toBe(true);
      expect(await isLive(second.endpoint(ref).baseUrl)).toBe(true);
      expect((await second.status(ref)).state).toBe("running");
      expect((await second.list()).map((workload) => workload.agentId)).toEqual([spec.agentId]);
      expect((await second.create(spec)).data.pid).toBe(pid);

      await second.stop(ref);
      expect(await isRunning(pid)).toBe(false);
      expect((await second.status(ref)).state).toBe("stopped");
      const restarted = await second.start(ref);
      expect(restarted.data.pid).not.toBe(pid);
      await waitUntilLive(second, restarted);
    } finally {
      await second.delete(ref);
      await second.close();
    }
  }, 30_000);

  it("a runtime that died while no driver watched is crashed, unless it was stopped on purpose", async () => {
    const rootDir = await makeRootDir();
    const first = localDriver(rootDir);
    const [running, stopped] = [makeSpec(), makeSpec()];
    const runningRef = await first.create(running);
    const stoppedRef = await first.create(stopped);
    await first.stop(stoppedRef);
    await first.close();
    killGroup(await pidOf(rootDir, running.agentId));
    await waitFor("the runtime to die", async () => !(await isRunning(await pidOf(rootDir, running.agentId))), {
      timeoutMs: 5_000,
    });

    const second = localDriver(rootDir);
    try {
      const status = await second.status(runningRef);
      expect(status.state).toBe("crashed");
      expect(status.exitCode).toBeUndefined();
      expect(status.detail).toMatch(/no driver watched/);
      expect((await second.status(stoppedRef)).state).toBe("stopped");
      // A retried create runs it again, on the same port.
      const port = (await readRecord(rootDir, running.agentId)).port;
      const again = await second.create(running);
      expect(again.data.port).toBe(port);
      await waitUntilLive(second, again);
    } finally {
      await second.delete(runningRef);
      await second.delete(stoppedRef);
      await second.close();
    }
  }, 30_000);

  it("reports a refused configuration as crashed with exit code 78, also to a later driver instance", async () => {
    const rootDir = await makeRootDir();
    const first = localDriver(rootDir);
    const refused = makeSpec({ openclawConfig: JSON.stringify({ agents: {} }) });
    const dying = makeSpec({
      env: { OPENCLAW_GATEWAY_TOKEN: randomBytes(32).toString("hex"), FAKE_RUNTIME_EXIT_CODE: "3" },
    });
    const refusedRef = await first.create(refused);
    const dyingRef = await first.create(dying);
    const crashed = (driver: LocalDriver, ref: WorkloadRef) =>
      waitFor(
        `${ref.agentId} to crash`,
        async () => {
          const status = await driver.status(ref);
          return status.state === "crashed" ? status : null;
        },
        { timeoutMs: READY_TIMEOUT_MS },
      );
    expect(await crashed(first, refusedRef)).toEqual({
      state: "crashed",
      exitCode: 78,
      detail: "the runtime refused its configuration (exit code 78)",
    });
    expect(await crashed(first, dyingRef)).toMatchObject({ exitCode: 3 });
    await first.close();

    const second = localDriver(rootDir);
    try {
      expect(await second.status(refusedRef)).toMatchObject({ state: "crashed", exitCode: 78 });
      expect(await second.status(dyingRef)).toMatchObject({ state: "crashed", exitCode: 3 });
      const lines = await second.logs(refusedRef, { limit: 10 });
      expect(lines.some((line) => line.text.includes("Invalid config"))).toBe(true);
      expect(lines.at(-1)).toMatchObject({
        stream: "engine",
        text: expect.stringMatching(/exited with code 78$/) as string,
      });
    } finally {
      await second.delete(refusedRef);
      await second.delete(dyingRef);
      await second.close();
    }
  }, 30_000);

  it("never takes a recorded pid that now belongs to another process for the runtime (pid reuse)", async () => {
    const rootDir = await makeRootDir();
    const first = localDriver(rootDir);
    const spec = makeSpec();
    const ref = await first.create(spec);
    await first.stop(ref);
    await first.close();
    const stateDir = join(rootDir, spec.agentId, "state");
    const recordPath = join(rootDir, spec.agentId, "workload.json");
    const record = await readRecord(rootDir, spec.agentId);

    // Two strangers: one with an unrelated environment, one even claiming the agent's state dir but started at
    // another time than the recorded process.
    const strangers: ChildProcess[] = [
      spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { env: {}, stdio: "ignore" }),
      spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
        env: { OPENCLAW_STATE_DIR: stateDir },
        stdio: "ignore",
      }),
    ];
    try {
      await Promise.all(strangers.map((stranger) => once(stranger, "spawn")));
      for (const [index, stranger] of strangers.entries()) {
        const pid = stranger.pid!;
        const startTicks = index === 0 ? null : "1";
        await writeFile(
          recordPath,
          JSON.stringify({ ...record, pid, processStartTicks: startTicks, desiredState: "running", lastExit: null }),
        );
        const second = localDriver(rootDir);
        const status = await second.status(ref);
        expect(status.state).toBe("crashed");
        expect(status.detail).toMatch(/belongs to another process/);
        await second.stop(ref);
        expect(await isRunning(pid)).toBe(true);
        await second.close();
      }
      const last = localDriver(rootDir);
      await last.delete(ref);
      await last.close();
      for (const stranger of strangers) expect(await isRunning(stranger.pid!)).toBe(true);
      expect(existsSync(join(rootDir, spec.agentId))).toBe(false);
    } finally {
      for (const stranger of strangers) stranger.kill("SIGKILL");
    }
  }, 30_000);

  it("spaces runtime ports by the stride, skipping slots it cannot bind, and reuses freed slots", async () => {
    const rootDir = await makeRootDir();
    const portBase = PORT_BASE + 120 * 100;
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(portBase, "127.0.0.1", resolve));
    const driver = localDriver(rootDir, { portBase });
    const specs = [makeSpec(), makeSpec(), makeSpec()];
    try {
      const refs = await Promise.all(specs.map((spec) => driver.create(spec)));
      const ports = refs.map((ref) => ref.data.port as number).sort((a, b) => a - b);
      expect(ports).toEqual([portBase + 120, portBase + 240, portBase + 360]);
      await Promise.all(refs.map((ref) => waitUntilLive(driver, ref)));

      const middle = refs.find((ref) => ref.data.port === portBase + 240)!;
      await driver.delete(middle);
      const replacement = await driver.create(makeSpec());
      expect(replacement.data.port).toBe(portBase + 240);
      for (const ref of [...refs, replacement]) await driver.delete(ref);
    } finally {
      await driver.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(() => createLocalDriver({ rootDir, launcher: fakeRuntimeLauncher(), portStride: 100 })).toThrow(
      /portStride/,
    );
  }, 30_000);

  it("kills a runtime that ignores SIGTERM once the grace period is over", async () => {
    const rootDir = await makeRootDir();
    const driver = localDriver(rootDir, { stopGraceMs: 600 });
    const spec = makeSpec({
      env: { OPENCLAW_GATEWAY_TOKEN: randomBytes(32).toString("hex"), FAKE_RUNTIME_IGNORE_SIGTERM: "1" },
    });
    const ref = await driver.create(spec);
    try {
      await waitUntilLive(driver, ref);
      const pid = await pidOf(rootDir, spec.agentId);
      const steps: { step: string; data: unknown }[] = [];
      const started = Date.now();
      await driver.stop(ref, { onProgress: (step, _message, data) => steps.push({ step, data }) });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(600);
      expect(elapsed).toBeLessThan(6_000);
      expect(await isRunning(pid)).toBe(false);
      expect((await driver.status(ref)).state).toBe("stopped");
      expect(steps).toContainEqual({ step: "process.stopped", data: { pid, forced: true } });
      const lines = await driver.logs(ref, { limit: 20 });
      expect(lines.some((line) => line.text.includes("ignoring it"))).toBe(true);
      expect(lines.some((line) => line.stream === "engine" && line.text.includes("SIGKILL"))).toBe(true);
    } finally {
      await driver.delete(ref);
      await driver.close();
    }
  }, 30_000);

  it("a failed create leaves nothing behind", async () => {
    const rootDir = await makeRootDir();
    const driver = localDriver(rootDir);
    const unavailable = makeSpec({ runtimeVersion: "0.0.0-unavailable" });
    await expect(driver.create(unavailable)).rejects.toMatchObject({ code: "unavailable", retryable: true });

    const missingBinary: RuntimeLauncher = {
      prepare: () => Promise.resolve({ command: join(rootDir, "no-such-node"), args: () => ["gateway"] }),
    };
    const broken = createLocalDriver({ rootDir, launcher: missingBinary, portBase: PORT_BASE });
    const spec = makeSpec();
    const error: unknown = await broken.create(spec).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: "engine_error", message: expect.stringContaining("ENOENT") as string });
    expect(existsSync(join(rootDir, spec.agentId))).toBe(false);
    expect(await driver.list()).toEqual([]);
    await Promise.all([driver.close(), broken.close()]);
  });

  it("refuses specs and refs that could escape the root directory or cannot be a process environment", async () => {
    const rootDir = await makeRootDir();
    const driver = localDriver(rootDir);
    const refused = [
      makeSpec({ agentId: "../escape" }),
      makeSpec({ env: { "BAD-NAME": "x" } }),
      makeSpec({ resources: { cpuMillicores: 100, memoryMb: 0 } }),
      makeSpec({ runtimeVersion: "1.0; rm -rf /" }),
    ];
    for (const spec of refused) await expect(driver.create(spec)).rejects.toMatchObject({ code: "invalid_config" });
    await expect(driver.status({ agentId: "../..", serviceId: "x", data: {} })).rejects.toMatchObject({
      code: "invalid_config",
    });
    expect(await readdir(rootDir)).toEqual([]);
    await driver.close();
  });
});
