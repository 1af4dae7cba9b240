// Health poller at scale: N running agents (default 1,000 and 10,000) whose runtimes are fake runtimes served by ONE
// child process (a fleet: runtime i answers under http://127.0.0.1:P/r/<i>). Agent rows are inserted directly as
// `running` (no provisioning). Measures, per N: wall time and the backend process's CPU (user+system) per
// `pollOnce()` cycle, the fleet's and the machine's CPU alongside, and how long it takes to notice a runtime that
// stops answering (setHealthy(i, false) → the agent is `degraded`) with the production poll interval.
// Run: ./agentbot node bench/health-poller.ts [--sizes 1000,10000] [--cycles 5] [--interval-ms 15000]
import "./src/env.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createDb, newId } from "@agentbot/db";
import { startAgentsBackend } from "../apps/backend/test/support/agents-backend.ts";
import { createHealthPoller } from "../apps/backend/src/agents/health/health-poller.ts";
import { probeRuntime } from "../apps/backend/src/agents/health/runtime-probe.ts";
import type { HealthPoller } from "../apps/backend/src/agents/health/health-poller.ts";
import { startFleetProcess } from "./src/fleet-client.ts";
import { TICKS_PER_SECOND, describeLoad, machineCpuTicks, machineInfo, startLoadMonitor } from "./src/machine.ts";
import { productionSettings } from "./src/platform-settings.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { round, summarize } from "./src/stats.ts";
import type { Summary } from "./src/stats.ts";

const settings = productionSettings();
const { values: cli } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000" },
    cycles: { type: "string", default: "5" },
    "interval-ms": { type: "string", default: String(settings.health.intervalMs) },
  },
});
const SIZES = cli.sizes.split(",").map(Number);
const CYCLES = Number(cli.cycles);
const INTERVAL_MS = Number(cli["interval-ms"]);
const DEGRADED_AFTER = settings.health.degradedAfter;
const AGENTS_PER_USER = 100;

interface CycleFigures {
  readonly wallMs: number;
  /** This (backend) process, user + system. */
  readonly backendCpuMs: number;
  /** The fleet process answering the probes. */
  readonly fleetCpuMs: number;
  /** Every process on the machine (PostgreSQL included, and anything else running). */
  readonly machineCpuMs: number;
  readonly polled: number;
  readonly healthy: number;
}

interface SizeResult {
  readonly agents: number;
  readonly cycles: readonly CycleFigures[];
  readonly probesOnly: {
    readonly cycles: readonly CycleFigures[];
    readonly wallMs: Summary;
    readonly backendCpuMs: Summary;
  };
  readonly cpuRatioToProbesOnly: number;
  readonly wallMs: Summary;
  readonly backendCpuMs: Summary;
  readonly backendCpuMicrosPerAgent: number;
  readonly fleetCpuMs: Summary;
  readonly machineCpuMs: Summary;
  /** Mean backend CPU over one poll period (cycle + interval), as % of one core. */
  readonly backendCorePercentAtInterval: number;
  readonly detection: {
    readonly measuredMs: number;
    readonly cyclesObserved: number;
    /**
     * Bounds from the schedule. Rows come back in no fixed order (findMany has no orderBy, and every cycle rewrites
     * them), so two probes of one agent are between `interval` and `2 × cycle + interval` apart.
     */
    readonly expectedBestMs: number;
    readonly expectedWorstMs: number;
  };
  readonly insertMs: number;
}

const backend = await startAgentsBackend({
  ...settings,
  health: { ...settings.health, intervalMs: INTERVAL_MS },
  // The poller is driven by hand (pollOnce) and started only for the detection measurement; no jobs run here.
  startWorkers: false,
});
const observerDb = createDb(backend.databaseUrl, { poolSize: 2, applicationName: "agentbot-bench-observer" });
const fleet = await startFleetProcess(Math.max(...SIZES));
const pollerConfig = { ...settings.health, intervalMs: INTERVAL_MS };
// A fresh poller (the subsystem's own factory and config) per measurement: a stopped poller's pollOnce() returns at
// once without probing (it checks its `stopped` flag), so one that was started and stopped cannot be reused.
let poller: HealthPoller = createHealthPoller(backend.services, pollerConfig);

let cleanedUp = false;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  await poller.stop().catch(() => undefined);
  await observerDb.$disconnect().catch(() => undefined);
  await fleet.close();
  await backend.close();
}
process.once("SIGINT", () => {
  process.stderr.write("interrupted: cleaning up\n");
  void cleanUp().finally(() => process.exit(130));
});

/** Replaces every agent with `count` running agents pointing at the fleet's first `count` runtimes. */
async function seedAgents(count: number): Promise<number> {
  const started = performance.now();
  await backend.db.agent.deleteMany({});
  const users = Math.ceil(count / AGENTS_PER_USER);
  const userIds = await Promise.all(Array.from({ length: users }, () => backend.createUser({ plan: "network" })));
  const now = new Date();
  for (let first = 0; first < count; first += 1_000) {
    await backend.db.agent.createMany({
      data: Array.from({ length: Math.min(1_000, count - first) }, (_, offset) => {
        const index = first + offset;
        return {
          id: newId("agent"),
          userId: userIds[Math.floor(index / AGENTS_PER_USER)]!,
          name: `fleet-${index}`,
          status: "running",
          engine: "local",
          url: fleet.baseUrl(index),
          runtimeVersion: "2026.9.6",
          plan: "network",
          cpuMillicores: 8_000,
          memoryMb: 16_384,
          modelProvider: "platform",
          model: "openclaw/default",
          // Never opened by the poller (it only probes); a real row holds a sealed token here.
          gatewayTokenCiphertext: "unused-by-the-health-poller",
          runningSince: now,
          lastHealthyAt: now,
        };
      }),
    });
  }
  return performance.now() - started;
}

/**
 * The baseline, in the same process: only the probes (the poller's own probeRuntime, same concurrency and timeout)
 * over the same URLs, without reading or writing the database. Poll cycle minus this = the bookkeeping's cost.
 */
async function probeOnly(urls: readonly string[]): Promise<{ polled: number; healthy: number }> {
  let healthy = 0;
  let index = 0;
  const worker = async () => {
    while (index < urls.length) {
      const result = await probeRuntime(urls[index++]!, settings.health.probeTimeoutMs);
      if (result.ok) healthy += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.health.concurrency, urls.length) }, worker));
  return { polled: urls.length, healthy };
}

async function measuredCycle(run: () => Promise<{ polled: number; healthy: number }>): Promise<CycleFigures> {
  const fleetBefore = await fleet.cpuMicros();
  const machineBefore = await machineCpuTicks();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = await machineCpuTicks();
  const fleetAfter = await fleet.cpuMicros();
  return {
    wallMs: round(wallMs),
    backendCpuMs: round((cpu.user + cpu.system) / 1_000),
    fleetCpuMs: round((fleetAfter - fleetBefore) / 1_000),
    machineCpuMs: round(((machineAfter.busy - machineBefore.busy) / TICKS_PER_SECOND) * 1_000),
    polled: result.polled,
    healthy: result.healthy,
  };
}

/**
 * Starts the poller on its real schedule, lets a random runtime stop answering at a random moment of a poll period,
 * and times until its agent is `degraded` (what the dashboard and the automatic restart react to).
 */
async function measureDetection(count: number, periodMs: number) {
  const target = Math.floor(Math.random() * count);
  const agent = await backend.db.agent.findFirstOrThrow({ where: { url: fleet.baseUrl(target) } });
  poller = createHealthPoller(backend.services, pollerConfig);
  poller.start();
  try {
    // A random phase of the schedule, so the figure is not always the best or the worst case.
    await sleep(Math.random() * periodMs);
    await fleet.setHealthy(target, false);
    const failedAt = performance.now();
    const deadline = failedAt + (DEGRADED_AFTER + 2) * periodMs + 30_000;
    for (;;) {
      const row = await observerDb.agent.findUniqueOrThrow({ where: { id: agent.id }, select: { status: true } });
      if (row.status === "degraded") break;
      if (performance.now() > deadline) throw new Error(`agent ${agent.id} was not degraded in time (${row.status})`);
      await sleep(20);
    }
    const measuredMs = performance.now() - failedAt;
    const failedChecks = await observerDb.agent.findUniqueOrThrow({
      where: { id: agent.id },
      select: { consecutiveHealthFailures: true },
    });
    return { measuredMs: round(measuredMs), cyclesObserved: failedChecks.consecutiveHealthFailures };
  } finally {
    await poller.stop();
    await fleet.setHealthy(target, true);
  }
}

const stopLoadMonitor = await startLoadMonitor();
const results: SizeResult[] = [];
try {
  for (const count of SIZES) {
    const insertMs = await seedAgents(count);
    poller = createHealthPoller(backend.services, pollerConfig);
    process.stderr.write(`health-poller: ${count} agents inserted in ${round(insertMs)} ms\n`);
    const urls = Array.from({ length: count }, (_, index) => fleet.baseUrl(index));
    // Warm-up: connections, JIT, the fleet's sockets.
    await measuredCycle(() => poller.pollOnce());
    await measuredCycle(() => probeOnly(urls));
    const cycles: CycleFigures[] = [];
    const baseline: CycleFigures[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      baseline.push(await measuredCycle(() => probeOnly(urls)));
      const figures = await measuredCycle(() => poller.pollOnce());
      if (figures.polled !== count || figures.healthy !== count) {
        process.stderr.write(
          `  cycle ${cycle + 1}: polled ${figures.polled}, healthy ${figures.healthy} of ${count}\n`,
        );
      }
      cycles.push(figures);
      process.stderr.write(
        `  cycle ${cycle + 1}/${CYCLES}: ${figures.wallMs} ms wall, backend CPU ${figures.backendCpuMs} ms, fleet CPU ${figures.fleetCpuMs} ms; probes alone: ${baseline.at(-1)!.wallMs} ms wall, ${baseline.at(-1)!.backendCpuMs} ms CPU\n`,
      );
    }
    const wallMs = summarize(cycles.map((cycle) => cycle.wallMs));
    const backendCpuMs = summarize(cycles.map((cycle) => cycle.backendCpuMs));
    // The poller waits `interval` after a cycle ends before the next: one period is cycle + interval.
    const periodMs = wallMs.p50 + INTERVAL_MS;
    process.stderr.write(
      `  detection: poll period ~${round(periodMs)} ms, degraded after ${DEGRADED_AFTER} failures\n`,
    );
    const detection = await measureDetection(count, periodMs);
    process.stderr.write(`  detection: ${detection.measuredMs} ms\n`);
    const probesOnlyCpuMs = summarize(baseline.map((cycle) => cycle.backendCpuMs));
    results.push({
      agents: count,
      cycles,
      probesOnly: {
        cycles: baseline,
        wallMs: summarize(baseline.map((cycle) => cycle.wallMs)),
        backendCpuMs: probesOnlyCpuMs,
      },
      /** Poll cycle CPU over the probes-alone CPU (p50s): what the database bookkeeping multiplies the work by. */
      cpuRatioToProbesOnly: round(backendCpuMs.p50 / probesOnlyCpuMs.p50, 2),
      wallMs,
      backendCpuMs,
      backendCpuMicrosPerAgent: round((backendCpuMs.p50 * 1_000) / count),
      fleetCpuMs: summarize(cycles.map((cycle) => cycle.fleetCpuMs)),
      machineCpuMs: summarize(cycles.map((cycle) => cycle.machineCpuMs)),
      backendCorePercentAtInterval: round((backendCpuMs.p50 / periodMs) * 100),
      detection: {
        ...detection,
        expectedBestMs: round((DEGRADED_AFTER - 1) * INTERVAL_MS),
        expectedWorstMs: round(DEGRADED_AFTER * (INTERVAL_MS + 2 * wallMs.p50)),
      },
      insertMs: round(insertMs),
    });
  }
} finally {
  await cleanUp();
}
const load = await stopLoadMonitor();
const machine = await machineInfo();

const rows = results
  .map(
    (result) =>
      `| ${result.agents.toLocaleString("en")} | ${result.wallMs.p50} ms (max ${result.wallMs.max}) | ${result.backendCpuMs.p50} ms (max ${result.backendCpuMs.max}) | ${result.backendCpuMicrosPerAgent} µs | ${result.probesOnly.wallMs.p50} ms / ${result.probesOnly.backendCpuMs.p50} ms (poll = ${result.cpuRatioToProbesOnly}× its CPU) | ${result.fleetCpuMs.p50} ms | ${result.machineCpuMs.p50} ms | ${result.backendCorePercentAtInterval} % | ${round(result.detection.measuredMs / 1000, 1)} s (${round(result.detection.expectedBestMs / 1000, 1)}–${round(result.detection.expectedWorstMs / 1000, 1)} s) |`,
  )
  .join("\n");
const summary = `# Health poller at scale

${describeMachine(machine)}

${describeLoad(load)}

Agents inserted as \`running\`, their runtimes served by one fake-runtime fleet in a child process. ${CYCLES} measured \`pollOnce()\` cycles per size (after one warm-up). Poller settings as production: concurrency ${settings.health.concurrency}, probe timeout ${settings.health.probeTimeoutMs} ms, interval ${INTERVAL_MS} ms, degraded after ${DEGRADED_AFTER} failed polls. Each poll is \`/healthz\` + \`/readyz\` and one UPDATE of the agent row.

| agents | wall per cycle (p50) | backend CPU per cycle (p50) | backend CPU per agent | baseline: probes alone, wall / CPU (p50) | fleet CPU per cycle | whole machine CPU per cycle | backend share of one core at this interval | detection (expected range) |
|---|---|---|---|---|---|---|---|---|
${rows}

- *backend CPU*: \`process.cpuUsage()\` delta (user + system) of the process running the poller; the fleet (answering the probes) is another process and counted separately. *Whole machine* includes PostgreSQL and whatever else ran at the time.
- *baseline*: the same probes (the poller's \`probeRuntime\`, same concurrency and timeout) over the same URLs in the same process, without the database; interleaved with the poll cycles.
- *detection*: a random runtime stops answering at a random moment of the poll schedule; time until its agent is \`degraded\`. Expected range: (degradedAfter − 1) × interval to degradedAfter × (interval + 2 × cycle), because the poller reads agents in no fixed order, so an agent's place in the cycle moves from one cycle to the next.
`;

await writeResults(
  "health-poller",
  {
    machine,
    load,
    settings: { sizes: SIZES, cycles: CYCLES, intervalMs: INTERVAL_MS, health: settings.health },
    results,
  },
  summary,
);
