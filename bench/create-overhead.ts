// Create → running overhead: the fake OpenClaw runtime spawned directly (baseline) vs the same runtime provisioned
// through the platform (HTTP → PostgreSQL → pg-boss → slot → local driver → health probes → running on the live
// stream). Run: ./agentbot node bench/create-overhead.ts [--runs 30] [--warmup 3]
import "./src/env.ts";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { AgentEvent } from "@agentbot/contracts";
import { buildOpenclawRuntime } from "@agentbot/engine";
import { fakeRuntimeLauncher } from "@agentbot/engine/testing/fake";
import { startAgentsBackend } from "../apps/backend/test/support/agents-backend.ts";
import { waitForHealthy } from "../apps/backend/src/agents/health/runtime-probe.ts";
import { buildRuntimeEnv } from "../packages/engine/src/local/runtime-env.ts";
import { watchAgents } from "./src/agent-watcher.ts";
import { describeLoad, machineInfo, startLoadMonitor } from "./src/machine.ts";
import { productionSettings } from "./src/platform-settings.ts";
import { freePort, killProcessesUnder } from "./src/processes.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { describeSummary, round, summarize } from "./src/stats.ts";

const GOAL_OVERHEAD_P50 = 0.25;
const RUNTIME_VERSION = "2026.9.6";
/** The `network` plan's memory (the bench user's plan), so both sides get the same heap cap. */
const MEMORY_MB = 16_384;

const { values: cli } = parseArgs({
  options: { runs: { type: "string", default: "30" }, warmup: { type: "string", default: "3" } },
});
const RUNS = Number(cli.runs);
const WARMUP = Number(cli.warmup);

interface RawSample {
  /** spawn() called → /readyz answered ready, probed like the platform does: the figure compared with it. */
  readonly spawnToReadyMs: number;
  /** spawn() called → /readyz answered ready, probed every 5 ms: the runtime's own boot time, for reference. */
  readonly bootMs: number;
}

interface PlatformSample {
  /** POST provision sent → the live stream says `running`. */
  readonly requestToRunningMs: number;
  /** POST provision sent → its 202 answer. */
  readonly acceptMs: number;
  /** Step → step durations from the agent's timeline (database timestamps, ms resolution). */
  readonly phases: Record<string, number>;
  readonly events: readonly { type: string; atMs: number; durationMs: number | null }[];
}

const launcher = fakeRuntimeLauncher();
const rawRoot = await mkdtemp(path.join(tmpdir(), "agentbot-bench-raw-"));

/**
 * The baseline: what the local driver does to start a runtime, minus the platform around it. `probeEveryMs` null:
 * the platform's probe cadence; a number: probe that often (the runtime's own boot time).
 */
async function rawRun(index: number, probeEveryMs: number | null): Promise<number> {
  const dir = path.join(rawRoot, `run-${index}-${probeEveryMs ?? "platform-cadence"}`);
  const stateDir = path.join(dir, "state");
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  // The same config and environment shape an agent on the platform provider gets.
  const runtime = buildOpenclawRuntime({
    agentId: `raw-${index}`,
    gatewayToken: randomBytes(32).toString("base64url"),
    bind: "loopback",
    model: {
      provider: "platform",
      model: "openclaw/default",
      platform: {
        baseUrl: "http://127.0.0.1:9/v1",
        apiKey: randomBytes(24).toString("base64url"),
        models: [{ id: "openclaw/default", contextWindow: 128_000, maxTokens: 8_192, cost: { input: 0, output: 0 } }],
      },
    },
    channels: {},
    controlUiAllowedOrigins: [],
    memoryMb: MEMORY_MB,
  });
  await writeFile(path.join(stateDir, "openclaw.json"), runtime.openclawConfig, { mode: 0o600 });
  const command = await launcher.prepare(RUNTIME_VERSION);
  const env = buildRuntimeEnv({ specEnv: runtime.env, launcherEnv: command.env, stateDir, memoryMb: MEMORY_MB });
  const port = await freePort();
  const logFd = openSync(path.join(dir, "runtime.log"), "a", 0o600);
  const started = performance.now();
  const child = spawn(command.command, [...command.args(port)], {
    detached: true,
    stdio: ["ignore", logFd, logFd],
    env,
    cwd: stateDir,
  });
  closeSync(logFd);
  const exited = once(child, "exit");
  await once(child, "spawn");
  // The platform's own probe loop (same first interval, backoff and body checks), so only the platform differs.
  const result = await waitForHealthy(`http://127.0.0.1:${port}`, {
    deadlineMs: 15_000,
    ...(probeEveryMs === null ? {} : { initialIntervalMs: probeEveryMs, maxIntervalMs: probeEveryMs }),
  });
  const spawnToReadyMs = performance.now() - started;
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    // Already gone; the result says why.
  }
  const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(killer);
  await rm(dir, { recursive: true, force: true });
  if (!result.healthy) throw new Error(`raw run ${index}: ${result.message}`);
  return spawnToReadyMs;
}

const settings = productionSettings();
const backend = await startAgentsBackend(settings);
const userId = await backend.createUser({ plan: "network" });
const watcher = await watchAgents(backend.client, userId);
const runTag = randomBytes(4).toString("hex");

/** Gaps between consecutive timeline steps, named `<from> → <to>`, plus the ends measured here. */
function phasesOf(events: readonly AgentEvent[], requestWallMs: number, runningSeenWallMs: number) {
  const at = (type: string) => {
    const event = events.find((candidate) => candidate.type === type);
    return event ? Date.parse(event.createdAt) : null;
  };
  const steps: [string, number | null][] = [
    ["request sent", requestWallMs],
    ["operation.queued", at("operation.queued")],
    ["slot.acquired", at("slot.acquired")],
    ["operation.started", at("operation.started")],
    ["config.generated", at("config.generated")],
    ["engine.created", at("engine.created")],
    ["status.running", at("status.running")],
    ["running seen on the stream", runningSeenWallMs],
  ];
  const phases: Record<string, number> = {};
  for (let index = 1; index < steps.length; index++) {
    const [fromName, from] = steps[index - 1]!;
    const [toName, to] = steps[index]!;
    if (from !== null && to !== null) phases[`${fromName} → ${toName}`] = to - from;
  }
  // The probe wait as the runner measured it (progress and probe events are recorded without waiting, so their
  // timestamps can land after the next step's; durations are exact).
  const ready = events.find((event) => event.type === "health.ready");
  if (ready?.durationMs != null) phases["health probes (health.ready durationMs)"] = ready.durationMs;
  // The runtime's part is spawn → ready (boot, overlapped by the driver's bookkeeping, then the probe wait);
  // everything before the spawn and after /readyz answered is the platform's own cost.
  const spawned = at("engine.process.spawned");
  const created = at("engine.created");
  if (spawned !== null && created !== null && ready?.durationMs != null) {
    const readyAt = created + ready.durationMs;
    phases["runtime: spawn → ready"] = readyAt - spawned;
    phases["platform: request → spawn"] = spawned - requestWallMs;
    phases["platform: ready → running seen"] = runningSeenWallMs - readyAt;
    phases["platform cost (request → spawn + ready → running seen)"] =
      spawned - requestWallMs + (runningSeenWallMs - readyAt);
  }
  return phases;
}

async function platformRun(index: number): Promise<PlatformSample> {
  const requestWallMs = Date.now();
  const started = performance.now();
  const accepted = await backend.client.provisionAgent({
    userId,
    idempotencyKey: `overhead-${runTag}-${index}`,
    name: `overhead-${index}`,
    modelProvider: "platform",
    model: "openclaw/default",
    channels: {},
  });
  const acceptMs = performance.now() - started;
  const agentId = accepted.agent.id;
  const running = await watcher.waitFor(agentId, (agent) => agent.status === "running" || agent.status === "failed");
  if (running.agent.status !== "running") {
    throw new Error(`platform run ${index}: agent ${agentId} failed: ${running.agent.failureMessage ?? "?"}`);
  }
  const requestToRunningMs = running.at - started;
  const runningSeenWallMs = requestWallMs + requestToRunningMs;
  // The operation ends (activeOperation null) just after `running`; only then does delete not answer 409.
  await watcher.waitFor(agentId, (agent) => agent.status === "running" && agent.activeOperation === null);
  const detail = await backend.client.getAgent(userId, agentId);
  const events = [...detail.events].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  await backend.client.deleteAgent(userId, agentId);
  await watcher.waitFor(agentId, (agent) => agent.status === "deleted" && agent.activeOperation === null);
  watcher.forget(agentId);
  return {
    requestToRunningMs,
    acceptMs,
    phases: phasesOf(events, requestWallMs, runningSeenWallMs),
    events: events.map((event) => ({
      type: event.type,
      atMs: Date.parse(event.createdAt) - requestWallMs,
      durationMs: event.durationMs,
    })),
  };
}

const raw: RawSample[] = [];
const platform: PlatformSample[] = [];
let cleanedUp = false;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  await watcher.close().catch(() => undefined);
  await backend.close();
  const leftovers = (await killProcessesUnder(rawRoot)) + (await killProcessesUnder(backend.rootDir));
  if (leftovers > 0) process.stderr.write(`bench: killed ${leftovers} runtime processes left behind\n`);
  await rm(rawRoot, { recursive: true, force: true });
}

// Ctrl-C: the runtimes are detached (they would outlive this process), so stop them first.
process.once("SIGINT", () => {
  process.stderr.write("interrupted: cleaning up\n");
  void cleanUp().finally(() => process.exit(130));
});

const stopLoadMonitor = await startLoadMonitor();
try {
  process.stderr.write(`create-overhead: ${WARMUP} warm-up + ${RUNS} measured runs of each, interleaved\n`);
  for (let index = 0; index < WARMUP + RUNS; index++) {
    // Alternate which side goes first, so neither always runs on a machine the other just warmed (or loaded).
    const order = index % 2 === 0 ? (["raw", "platform", "boot"] as const) : (["boot", "platform", "raw"] as const);
    const samples: { raw?: RawSample; platform?: PlatformSample } = {};
    let spawnToReadyMs = 0;
    let bootMs = 0;
    for (const side of order) {
      if (side === "raw") spawnToReadyMs = await rawRun(index, null);
      else if (side === "boot") bootMs = await rawRun(index, 5);
      else samples.platform = await platformRun(index);
    }
    samples.raw = { spawnToReadyMs, bootMs };
    if (index >= WARMUP) {
      raw.push(samples.raw);
      platform.push(samples.platform!);
    }
    process.stderr.write(
      `  run ${index + 1}/${WARMUP + RUNS}${index < WARMUP ? " (warm-up)" : ""}: raw ${round(samples.raw.spawnToReadyMs)} ms, platform ${round(samples.platform!.requestToRunningMs)} ms\n`,
    );
  }
} finally {
  await cleanUp();
}
const load = await stopLoadMonitor();

const rawSummary = summarize(raw.map((sample) => sample.spawnToReadyMs));
const bootSummary = summarize(raw.map((sample) => sample.bootMs));
const platformSummary = summarize(platform.map((sample) => sample.requestToRunningMs));
const ratioP50 = platformSummary.p50 / rawSummary.p50;
const ratioP99 = platformSummary.p99 / rawSummary.p99;
const overheadP50 = ratioP50 - 1;
const phaseNames = [...new Set(platform.flatMap((sample) => Object.keys(sample.phases)))];
const phases = Object.fromEntries(
  phaseNames.map((name) => [
    name,
    summarize(platform.flatMap((sample) => (sample.phases[name] === undefined ? [] : [sample.phases[name]]))),
  ]),
);
const medianRun = [...platform].sort((a, b) => a.requestToRunningMs - b.requestToRunningMs)[
  Math.floor(platform.length / 2)
];
const machine = await machineInfo();
const goalMet = overheadP50 < GOAL_OVERHEAD_P50;

const phaseLines = Object.entries(phases)
  .map(([name, summary]) => `| ${name} | ${summary.p50} | ${summary.p90} | ${summary.max} |`)
  .join("\n");
const summary = `# Create → running overhead

${describeMachine(machine)}

${describeLoad(load)}

${RUNS} runs of each side (after ${WARMUP} warm-up runs), interleaved; each agent deleted before the next run.
Platform settings: the backend's production defaults (slot retry ${settings.config.slotRetryMs} ms, worker concurrency ${settings.workerConcurrency}, health poll ${settings.health.intervalMs} ms).

| | p50 | p90 | p99 | min | max |
|---|---|---|---|---|---|
| raw spawn → ready | ${rawSummary.p50} ms | ${rawSummary.p90} ms | ${rawSummary.p99} ms | ${rawSummary.min} ms | ${rawSummary.max} ms |
| raw boot (probed every 5 ms), reference | ${bootSummary.p50} ms | ${bootSummary.p90} ms | ${bootSummary.p99} ms | ${bootSummary.min} ms | ${bootSummary.max} ms |
| platform request → running | ${platformSummary.p50} ms | ${platformSummary.p90} ms | ${platformSummary.p99} ms | ${platformSummary.min} ms | ${platformSummary.max} ms |

- ratio platform/raw: p50 ${round(ratioP50, 2)}×, p99 ${round(ratioP99, 2)}×
- overhead at p50: ${round(overheadP50 * 100)} % (${round(platformSummary.p50 - rawSummary.p50)} ms) (goal: under ${GOAL_OVERHEAD_P50 * 100} %) — **${goalMet ? "met" : "not met"}**
- the platform's own cost per create (request → spawn, plus ready → running seen on the stream): p50 ${phases["platform cost (request → spawn + ready → running seen)"]?.p50 ?? "?"} ms. It is roughly fixed, so the ratio depends on how fast the runtime boots: the fake boots in a few hundred ms, OpenClaw itself in ~10–20 s.
- p99 of ${RUNS} samples lies between the two slowest runs; read it as "worst seen", not a tail estimate.

Where the platform's time goes (ms, from the agent's timeline; database timestamps have 1 ms resolution):

| step | p50 | p90 | max |
|---|---|---|---|
${phaseLines}
`;

await writeResults(
  "create-overhead",
  {
    machine,
    load,
    settings: { runs: RUNS, warmup: WARMUP, platform: settings },
    goal: { overheadP50Below: GOAL_OVERHEAD_P50, met: goalMet },
    raw: { spawnToReadyMs: rawSummary, bootMs: bootSummary },
    platform: {
      requestToRunningMs: platformSummary,
      acceptMs: summarize(platform.map((sample) => sample.acceptMs)),
      phases,
      medianRunTimeline: medianRun?.events ?? [],
    },
    ratio: { p50: round(ratioP50, 3), p99: round(ratioP99, 3) },
    overheadP50Percent: round(overheadP50 * 100),
    samples: {
      rawSpawnToReadyMs: raw.map((sample) => round(sample.spawnToReadyMs)),
      rawBootMs: raw.map((sample) => round(sample.bootMs)),
      platformRequestToRunningMs: platform.map((sample) => round(sample.requestToRunningMs)),
    },
  },
  summary,
);
process.stderr.write(`raw: ${describeSummary(rawSummary)}\nplatform: ${describeSummary(platformSummary)}\n`);
