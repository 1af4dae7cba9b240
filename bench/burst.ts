// Burst: N concurrent creates (default 500) against a global deployment-slot limit of 8. Measures the most
// provisioning jobs ever seen running at once (Redis slot holders AND operations running with a slot in PostgreSQL;
// must never exceed the limit), that every agent reaches `running`, total time and creates per second.
// Run: ./agentbot node bench/burst.ts [--agents 500] [--users 100] [--global-limit 8] [--keep-running]
import "./src/env.ts";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { BackendError } from "@agentbot/client";
import { createDb } from "@agentbot/db";
import { startAgentsBackend } from "../apps/backend/test/support/agents-backend.ts";
import { availableMemoryMb, describeLoad, machineInfo, startLoadMonitor } from "./src/machine.ts";
import { productionSettings } from "./src/platform-settings.ts";
import { killProcessesUnder, processesUnder } from "./src/processes.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { round, summarize } from "./src/stats.ts";

const { values: cli } = parseArgs({
  options: {
    agents: { type: "string", default: "500" },
    users: { type: "string", default: "100" },
    "global-limit": { type: "string", default: "8" },
    "keep-running": { type: "boolean", default: false },
    "timeout-s": { type: "string", default: "280" },
  },
});
const AGENTS = Number(cli.agents);
const USERS = Math.min(Number(cli.users), AGENTS);
const GLOBAL_LIMIT = Number(cli["global-limit"]);
const TIMEOUT_MS = Number(cli["timeout-s"]) * 1_000;
/** Resident memory of one fake runtime just after boot, measured (~87 MB RSS, ~45 MB of it private). */
const RUNTIME_MEMORY_MB = 90;
const MEMORY_HEADROOM_MB = 3_000;

// 500 runtimes at once need ~500 × RUNTIME_MEMORY_MB. If that does not fit, each agent is deleted as soon as it is
// running: what this benchmark measures is how many are *provisioning* at once, which deleting does not change.
const availableAtStart = await availableMemoryMb();
const fitsAll = availableAtStart > AGENTS * RUNTIME_MEMORY_MB + MEMORY_HEADROOM_MB;
// --keep-running is honoured only when everything fits.
const deleteWhenRunning = !(cli["keep-running"] && fitsAll);
process.stderr.write(
  `burst: ${AGENTS} creates over ${USERS} users, global slot limit ${GLOBAL_LIMIT}; ${availableAtStart} MB available, ` +
    `${AGENTS} runtimes need ~${AGENTS * RUNTIME_MEMORY_MB} MB: ${deleteWhenRunning ? "each agent is deleted once it is running" : "all are kept running"}\n`,
);

const settings = productionSettings();
const backend = await startAgentsBackend({
  ...settings,
  slots: { ...settings.slots, globalLimit: GLOBAL_LIMIT },
  // The queue cap is per user; the burst must not be refused by it (it is not what is measured).
  config: { ...settings.config, queuePerUserCap: 10_000 },
});
// A separate small pool for the observers, so sampling never takes a connection the backend needs.
const observerDb = createDb(backend.databaseUrl, { poolSize: 3, applicationName: "agentbot-bench-observer" });
const userIds = await Promise.all(Array.from({ length: USERS }, () => backend.createUser({ plan: "network" })));
const runTag = randomBytes(4).toString("hex");

interface Create {
  readonly index: number;
  readonly userId: string;
  agentId?: string;
  acceptMs?: number;
  /** Attempts of the POST (a failed request is sent again with the same idempotency key). */
  attempts: number;
  /** Error answers received (`<status> <code>`), including those a resend then fixed. */
  errors: string[];
  runningAt?: number;
  deleteRequested?: boolean;
  /** Date.now() when the delete was sent. */
  deleteSentAt?: number;
}
const creates: Create[] = Array.from({ length: AGENTS }, (_, index) => ({
  index,
  userId: userIds[index % USERS]!,
  attempts: 0,
  errors: [],
}));

// --- Observers ------------------------------------------------------------------------------------------------------
let observing = true;
/** [Date.now(), holders] */
const redisSamples: [number, number][] = [];
const sqlSamples: number[] = [];
let maxRedisHolders = 0;
let maxSqlRunningWithSlot = 0;
let minAvailableMb = availableAtStart;
let maxRuntimeProcesses = 0;
const observerErrors: string[] = [];

const sampleRedis = (async () => {
  while (observing) {
    try {
      const holders = await backend.services.slots.holders();
      redisSamples.push([Date.now(), holders.length]);
      maxRedisHolders = Math.max(maxRedisHolders, holders.length);
    } catch (error) {
      observerErrors.push(`slots.holders(): ${(error as Error).message}`);
    }
    await sleep(5);
  }
})();
const sampleSql = (async () => {
  while (observing) {
    try {
      const running = await observerDb.agentOperation.count({
        where: { status: "running", slotHolder: { not: null } },
      });
      sqlSamples.push(running);
      maxSqlRunningWithSlot = Math.max(maxSqlRunningWithSlot, running);
    } catch (error) {
      observerErrors.push(`running operations count: ${(error as Error).message}`);
    }
    await sleep(10);
  }
})();
const sampleMachine = (async () => {
  while (observing) {
    minAvailableMb = Math.min(minAvailableMb, await availableMemoryMb());
    maxRuntimeProcesses = Math.max(maxRuntimeProcesses, (await processesUnder(backend.rootDir)).length);
    await sleep(1_000);
  }
})();

/** Marks agents that reached `running` (from their timeline) and, when asked to, deletes them. */
const started = performance.now();
const startedWall = Date.now();
const byAgent = new Map<string, Create>();
let deletesInFlight = 0;
const deleteErrors: string[] = [];
async function followProgress() {
  const pending = creates.filter((create) => create.agentId !== undefined && create.runningAt === undefined);
  if (pending.length > 0) {
    const running = await observerDb.agentEvent.findMany({
      where: { type: "status.running", agentId: { in: pending.map((create) => create.agentId!) } },
      select: { agentId: true, createdAt: true },
    });
    for (const event of running) {
      const create = byAgent.get(event.agentId);
      if (create && create.runningAt === undefined) create.runningAt = event.createdAt.getTime() - startedWall;
    }
  }
  if (!deleteWhenRunning) return;
  // Delete is accepted once the provision operation has ended (activeOperationId null).
  const idle = await observerDb.agent.findMany({
    where: {
      id: {
        in: creates.flatMap((create) =>
          create.runningAt !== undefined && !create.deleteRequested ? [create.agentId!] : [],
        ),
      },
      status: "running",
      activeOperationId: null,
    },
    select: { id: true, userId: true },
  });
  for (const agent of idle) {
    byAgent.get(agent.id)!.deleteRequested = true;
    byAgent.get(agent.id)!.deleteSentAt = Date.now();
    deletesInFlight += 1;
    void backend.client
      .deleteAgent(agent.userId, agent.id)
      .catch((error: unknown) => deleteErrors.push(`${agent.id}: ${(error as Error).message}`))
      .finally(() => (deletesInFlight -= 1));
  }
}

// --- The burst --------------------------------------------------------------------------------------------------------
async function create(entry: Create): Promise<void> {
  const body = {
    userId: entry.userId,
    idempotencyKey: `burst-${runTag}-${entry.index}`,
    name: `burst-${entry.index}`,
    modelProvider: "platform" as const,
    model: "openclaw/default",
    channels: {},
  };
  const sent = performance.now();
  for (;;) {
    entry.attempts += 1;
    try {
      const accepted = await backend.client.provisionAgent(body);
      entry.agentId = accepted.agent.id;
      entry.acceptMs = performance.now() - sent;
      byAgent.set(accepted.agent.id, entry);
      return;
    } catch (error) {
      // The same idempotency key answers the same agent, so any failed request is safe to send again (what the web
      // app's retry does); every error answer is counted and reported.
      if (!(error instanceof BackendError)) throw error;
      entry.errors.push(`${error.status} ${error.code}`);
      if (entry.attempts >= 5) return;
      await sleep(error.retryAfterSeconds ? error.retryAfterSeconds * 1_000 : 500);
    }
  }
}

let cleanedUp = false;
let leftovers = 0;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  observing = false;
  await Promise.allSettled([sampleRedis, sampleSql, sampleMachine]);
  await observerDb.$disconnect().catch(() => undefined);
  await backend.close();
  leftovers = await killProcessesUnder(backend.rootDir);
}
// Ctrl-C: the runtimes are detached (they would outlive this process), so stop them first.
process.once("SIGINT", () => {
  process.stderr.write("interrupted: cleaning up\n");
  void cleanUp().finally(() => process.exit(130));
});

const stopLoadMonitor = await startLoadMonitor();
let acceptedAllMs: number;
let failedAgents: { id: string; reason: string | null; message: string | null }[];
let timedOut = false;
let events: { agentId: string; type: string; createdAt: Date; durationMs: number | null }[];
try {
  // Agents that will be created: all of them, less those whose POST never got accepted (known once all answered).
  let target = AGENTS;
  const requests = Promise.all(creates.map(create)).then(() => {
    target = creates.filter((entry) => entry.agentId !== undefined).length;
  });
  const progress = (async () => {
    while (performance.now() - started < TIMEOUT_MS) {
      await followProgress();
      const failed = await observerDb.agent.count({
        where: { id: { in: [...byAgent.keys()] }, status: "failed" },
      });
      const done = creates.filter((entry) => entry.runningAt !== undefined).length;
      if (done + failed >= target) return;
      await sleep(100);
    }
    timedOut = true;
  })();
  await requests;
  acceptedAllMs = performance.now() - started;
  process.stderr.write(`  all ${AGENTS} creates accepted after ${round(acceptedAllMs)} ms\n`);
  const ticker = setInterval(() => {
    const done = creates.filter((entry) => entry.runningAt !== undefined).length;
    process.stderr.write(
      `  ${round((performance.now() - started) / 1000)} s: ${done}/${AGENTS} running, max slot holders ${maxRedisHolders} (redis) / ${maxSqlRunningWithSlot} (sql), ${deletesInFlight} deletes in flight\n`,
    );
  }, 5_000);
  await progress;
  clearInterval(ticker);
  const failed = await observerDb.agent.findMany({
    where: { id: { in: [...byAgent.keys()] }, status: "failed" },
    select: { id: true, failureReason: true, failureMessage: true },
  });
  failedAgents = failed.map((agent) => ({ id: agent.id, reason: agent.failureReason, message: agent.failureMessage }));
  // Let the last deletes finish before the backend stops (close() removes anything left anyway).
  for (let waited = 0; deleteWhenRunning && waited < 60_000; waited += 200) {
    await followProgress();
    const left = await observerDb.agent.count({
      where: { id: { in: [...byAgent.keys()] }, deletedAt: null, status: "running" },
    });
    if (left === 0 && deletesInFlight === 0) break;
    await sleep(200);
  }
  observing = false;
  await Promise.allSettled([sampleRedis, sampleSql, sampleMachine]);
  // The truth after the fact: from the timeline, how many agents were between `slot.acquired` and the end of their
  // provisioning at once (each interval [slot.acquired, status.running or status.failed]).
  events = await observerDb.agentEvent.findMany({
    where: {
      agentId: { in: [...byAgent.keys()] },
      type: {
        in: [
          "slot.acquired",
          "status.running",
          "status.failed",
          "slot.waiting",
          "engine.created",
          "health.ready",
          "engine.deleted",
        ],
      },
    },
    select: { agentId: true, type: true, createdAt: true, durationMs: true },
  });
} finally {
  await cleanUp();
}
const load = await stopLoadMonitor();
// What the backend logged at error level (a 500 answer's cause), grouped.
const backendErrors = [
  ...new Set(
    backend.logs
      .entries()
      .filter((entry) => typeof entry.level === "number" && entry.level >= 50)
      .map(
        (entry) =>
          `${String(entry.msg)}: ${JSON.stringify((entry.err as { message?: string } | undefined)?.message ?? "")}`,
      ),
  ),
];
const errorAnswers = creates.flatMap((entry) => entry.errors);
const errorAnswerCounts = Object.fromEntries(
  [...new Set(errorAnswers)].map((answer) => [answer, errorAnswers.filter((other) => other === answer).length]),
);
const notCreated = creates.filter((entry) => entry.agentId === undefined).length;
const edges: [number, number][] = [];
const slotHoldMs: number[] = [];
const queueWaitMs: number[] = [];
const requestToRunningMs: number[] = [];
const engineCreateMs: number[] = [];
const healthWaitMs: number[] = [];
const deleteMs: number[] = [];
const perAgent = new Map<string, { acquired?: number; ended?: number; running?: number; waited: boolean }>();
for (const event of events) {
  const entry = perAgent.get(event.agentId) ?? { waited: false };
  const at = event.createdAt.getTime();
  if (event.type === "engine.deleted") {
    const sentAt = byAgent.get(event.agentId)?.deleteSentAt;
    if (sentAt !== undefined) deleteMs.push(event.createdAt.getTime() - sentAt);
    continue;
  }
  if (event.type === "engine.created" || event.type === "health.ready") {
    if (event.durationMs !== null)
      (event.type === "engine.created" ? engineCreateMs : healthWaitMs).push(event.durationMs);
    continue;
  }
  if (event.type === "slot.acquired") {
    entry.acquired = at;
    if (event.durationMs !== null) queueWaitMs.push(event.durationMs);
  } else if (event.type === "slot.waiting") entry.waited = true;
  else {
    entry.ended = at;
    if (event.type === "status.running") {
      entry.running = at;
      if (event.durationMs !== null) requestToRunningMs.push(event.durationMs);
    }
  }
  perAgent.set(event.agentId, entry);
}
for (const entry of perAgent.values()) {
  if (entry.acquired === undefined || entry.ended === undefined) continue;
  edges.push([entry.acquired, 1], [entry.ended, -1]);
  slotHoldMs.push(entry.ended - entry.acquired);
}
// Ends before starts at the same millisecond: touching intervals do not overlap.
edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
let overlap = 0;
let maxTimelineOverlap = 0;
for (const [, delta] of edges) {
  overlap += delta;
  maxTimelineOverlap = Math.max(maxTimelineOverlap, overlap);
}
// While agents were still waiting for a slot (up to the last slot.acquired), how full were the slots on average?
// Idle slots while work waits are lost throughput.
const lastAcquired = Math.max(...[...perAgent.values()].map((entry) => entry.acquired ?? 0));
const busySamples = redisSamples.filter(([at]) => at <= lastAcquired).map(([, holders]) => holders);
const slotUtilization = busySamples.reduce((sum, value) => sum + value, 0) / ((busySamples.length || 1) * GLOBAL_LIMIT);
const waitedForSlot = [...perAgent.values()].filter((entry) => entry.waited).length;

const runningCount = creates.filter((entry) => entry.runningAt !== undefined).length;
const lastRunningMs = Math.max(...creates.map((entry) => entry.runningAt ?? 0));
const firstRunningMs = Math.min(...creates.map((entry) => entry.runningAt ?? Number.POSITIVE_INFINITY));
const createsPerSecond = runningCount / (lastRunningMs / 1_000);

const machine = await machineInfo();
const limitHeld =
  maxRedisHolders <= GLOBAL_LIMIT && maxSqlRunningWithSlot <= GLOBAL_LIMIT && maxTimelineOverlap <= GLOBAL_LIMIT;
const allRunning = runningCount === AGENTS && failedAgents.length === 0 && !timedOut;
const errorLines = Object.entries(errorAnswerCounts).map(([answer, count]) => `${count} × ${answer}`);

const summary = `# Burst: ${AGENTS} concurrent creates, global slot limit ${GLOBAL_LIMIT}

${describeMachine(machine)}

${describeLoad(load)}

${AGENTS} provision requests sent at once over ${USERS} users (plan \`network\`, per-user slot limit ${settings.slots.perUserLimit}, queue cap raised to 10000), worker concurrency ${settings.workerConcurrency}, slot retry ${settings.config.slotRetryMs} ms (production defaults otherwise).
${deleteWhenRunning ? `Memory: ${availableAtStart} MB available at start, ${AGENTS} fake runtimes need ~${AGENTS * RUNTIME_MEMORY_MB} MB, so each agent was deleted as soon as it was running (provisioning concurrency, what is measured, is unchanged by that).` : "All agents were kept running until the end."}

| | |
|---|---|
| most slot holders seen in Redis (sampled every ~5 ms, ${redisSamples.length} samples) | **${maxRedisHolders}** |
| most operations \`running\` with a slot in PostgreSQL (sampled every ~10 ms, ${sqlSamples.length} samples) | **${maxSqlRunningWithSlot}** |
| most agents between \`slot.acquired\` and running/failed at once (timeline, after the fact) | **${maxTimelineOverlap}** |
| mean slot use while agents were still waiting for one (Redis samples up to the last \`slot.acquired\`) | ${round(slotUtilization * 100)} % of ${GLOBAL_LIMIT} |
| limit held (all three ≤ ${GLOBAL_LIMIT}) | **${limitHeld ? "yes" : "NO"}** |
| agents that reached \`running\` | ${runningCount} / ${AGENTS}${failedAgents.length > 0 ? ` (${failedAgents.length} failed)` : ""}${timedOut ? " (timed out)" : ""} |
| all ${AGENTS} POSTs answered after | ${round(acceptedAllMs / 1000, 2)} s (p50 ${summarize(creates.flatMap((entry) => (entry.acceptMs === undefined ? [] : [entry.acceptMs]))).p50} ms, p99 ${summarize(creates.flatMap((entry) => (entry.acceptMs === undefined ? [] : [entry.acceptMs]))).p99} ms; ${creates.filter((entry) => entry.attempts > 1).length} sent more than once) |
| error answers to the POSTs (each resent with its idempotency key) | ${errorLines.length === 0 ? "none" : errorLines.join(", ")}${notCreated > 0 ? `; **${notCreated} never accepted after 5 tries**` : ""} |
| first / last agent running after | ${round(firstRunningMs / 1000, 2)} s / ${round(lastRunningMs / 1000, 2)} s |
| throughput | **${round(createsPerSecond, 2)} creates/s** (${GLOBAL_LIMIT} slots → ${round(createsPerSecond / GLOBAL_LIMIT, 2)} per slot per s) |
| slot held per agent (slot.acquired → running) | p50 ${summarize(slotHoldMs).p50} ms, p99 ${summarize(slotHoldMs).p99} ms |
| of which: engine create (driver.create) / health probes until ready | p50 ${summarize(engineCreateMs).p50} ms / ${summarize(healthWaitMs).p50} ms; p99 ${summarize(engineCreateMs).p99} ms / ${summarize(healthWaitMs).p99} ms |
| request → running per agent (queue wait included) | p50 ${summarize(requestToRunningMs).p50} ms, p99 ${summarize(requestToRunningMs).p99} ms |
| agents that had to wait for a slot | ${waitedForSlot} |
${deleteWhenRunning ? `| delete sent → runtime removed (its job shares the queue with the waiting creates) | p50 ${summarize(deleteMs).p50} ms, p99 ${summarize(deleteMs).p99} ms |\n` : ""}| peak runtime processes / least memory available | ${maxRuntimeProcesses} / ${minAvailableMb} MB |
| processes left after close (killed by the benchmark) | ${leftovers} |
${backendErrors.length > 0 ? `\nBackend error log lines (distinct): ${backendErrors.slice(0, 5).join("; ")}\n` : ""}${observerErrors.length + deleteErrors.length > 0 ? `\nObserver/delete errors: ${[...observerErrors, ...deleteErrors].slice(0, 5).join("; ")}\n` : ""}`;

await writeResults(
  "burst",
  {
    machine,
    load,
    settings: {
      agents: AGENTS,
      users: USERS,
      globalLimit: GLOBAL_LIMIT,
      deleteWhenRunning,
      availableMemoryMbAtStart: availableAtStart,
      platform: { ...settings, slots: { ...settings.slots, globalLimit: GLOBAL_LIMIT } },
    },
    concurrency: {
      maxRedisSlotHolders: maxRedisHolders,
      maxSqlOperationsRunningWithSlot: maxSqlRunningWithSlot,
      maxTimelineOverlap,
      slotUtilizationWhileWaiting: round(slotUtilization, 3),
      redisSamples: redisSamples.length,
      sqlSamples: sqlSamples.length,
      limitHeld,
    },
    outcome: {
      running: runningCount,
      failed: failedAgents.slice(0, 20),
      failedCount: failedAgents.length,
      timedOut,
      allRunning,
      waitedForSlot,
    },
    timing: {
      allAcceptedMs: round(acceptedAllMs),
      acceptMs: summarize(creates.flatMap((entry) => (entry.acceptMs === undefined ? [] : [entry.acceptMs]))),
      resent: creates.filter((entry) => entry.attempts > 1).length,
      firstRunningMs: round(firstRunningMs),
      lastRunningMs: round(lastRunningMs),
      createsPerSecond: round(createsPerSecond, 2),
      slotHoldMs: summarize(slotHoldMs),
      engineCreateMs: summarize(engineCreateMs),
      healthWaitMs: summarize(healthWaitMs),
      queueWaitMs: summarize(queueWaitMs),
      requestToRunningMs: summarize(requestToRunningMs),
      deleteSentToRemovedMs: summarize(deleteMs),
    },
    resources: { maxRuntimeProcesses, minAvailableMb, leftoverProcessesKilled: leftovers },
    errors: {
      answers: errorAnswerCounts,
      notCreated,
      backendLog: backendErrors.slice(0, 20),
      observer: observerErrors.slice(0, 20),
      delete: deleteErrors.slice(0, 20),
    },
  },
  summary,
);
if (!limitHeld || !allRunning) process.exitCode = 1;
