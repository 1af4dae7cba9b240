import type { AgentServices } from "../agent-services.ts";
import { requestAutomaticRestart } from "../agent-commands.ts";
import { createPeriodicTask } from "../periodic-task.ts";
import { probeRuntime } from "./runtime-probe.ts";

export interface HealthPollerConfig {
  readonly intervalMs: number;
  /** Failed polls in a row before the agent is `degraded` (and an automatic restart is considered). */
  readonly degradedAfter: number;
  /** Automatic restarts before the agent fails with `crash_loop`. */
  readonly autoRestartLimit: number;
  /** Backoff between automatic restarts: base × 2^(restarts so far). */
  readonly autoRestartBaseDelayMs: number;
  /** Probes in flight at once (a slow runtime must not stall the whole cycle). */
  readonly concurrency: number;
  readonly probeTimeoutMs: number;
}

export interface PollCycleResult {
  readonly polled: number;
  readonly healthy: number;
  readonly failed: number;
  readonly durationMs: number;
}

const WATCHED_STATUSES = ["running", "degraded"];

/**
 * Keeps watching running agents after provisioning: `/healthz` + `/readyz` with their JSON checked, every
 * `intervalMs`. Failures in a row make the agent `degraded`; after that it is restarted automatically with
 * exponential backoff, and after `autoRestartLimit` restarts it fails with `crash_loop` instead of looping forever.
 * Recovery returns it to `running`. Every transition is an AgentEvent.
 *
 * The poller only reads agents with no operation in flight (an operation owns the agent while it runs). With several
 * backend instances each polls every agent; transitions are conditional updates, so they do not double up (a
 * sharded poller is future work).
 */
export function createHealthPoller(services: AgentServices, config: HealthPollerConfig) {
  /** Set by stop(): a cycle in progress stops probing the rest of its agents. */
  let stopped = false;

  async function handleResult(
    agent: {
      id: string;
      userId: string;
      status: string;
      consecutiveHealthFailures: number;
      autoRestartCount: number;
      nextAutoRestartAt: Date | null;
    },
    result: Awaited<ReturnType<typeof probeRuntime>>,
  ) {
    const { db, timeline } = services;
    if (result.ok) {
      if (agent.status === "degraded") {
        await timeline.record({
          agentId: agent.id,
          type: "health.recovered",
          message: "The runtime answers its health probes again",
          update: {
            status: "running",
            consecutiveHealthFailures: 0,
            lastHealthyAt: new Date(),
            nextAutoRestartAt: null,
          },
        });
      } else {
        await db.agent.updateMany({
          where: { id: agent.id, activeOperationId: null },
          data: { consecutiveHealthFailures: 0, lastHealthyAt: new Date() },
        });
      }
      return true;
    }
    const failures = agent.consecutiveHealthFailures + 1;
    if (failures < config.degradedAfter) {
      await db.agent.updateMany({
        where: { id: agent.id, activeOperationId: null },
        data: { consecutiveHealthFailures: failures },
      });
      return false;
    }
    if (agent.status === "running") {
      await timeline.record({
        agentId: agent.id,
        type: "health.degraded",
        message: `Degraded: ${failures} health checks failed in a row (${result.error})`,
        update: {
          status: "degraded",
          consecutiveHealthFailures: failures,
          nextAutoRestartAt: new Date(Date.now() + config.autoRestartBaseDelayMs * 2 ** agent.autoRestartCount),
        },
      });
      return false;
    }
    await db.agent.updateMany({
      where: { id: agent.id, activeOperationId: null },
      data: { consecutiveHealthFailures: failures },
    });
    if (agent.autoRestartCount >= config.autoRestartLimit) {
      await timeline.record({
        agentId: agent.id,
        type: "status.failed",
        message: `Failed: the runtime kept crashing after ${agent.autoRestartCount} automatic restarts (${result.error})`,
        update: {
          status: "failed",
          failureReason: "crash_loop",
          failureMessage: `the runtime kept failing its health checks after ${agent.autoRestartCount} automatic restarts`,
          runningSince: null,
        },
      });
      return false;
    }
    if (agent.nextAutoRestartAt === null || agent.nextAutoRestartAt.getTime() <= Date.now()) {
      await requestAutomaticRestart(services, agent.id, agent.userId);
    }
    return false;
  }

  async function pollOnce(): Promise<PollCycleResult> {
    const started = performance.now();
    const agents = await services.db.agent.findMany({
      where: { status: { in: WATCHED_STATUSES }, activeOperationId: null, url: { not: null } },
      select: {
        id: true,
        userId: true,
        status: true,
        url: true,
        consecutiveHealthFailures: true,
        autoRestartCount: true,
        nextAutoRestartAt: true,
      },
    });
    let healthy = 0;
    let probed = 0;
    let index = 0;
    const worker = async () => {
      while (index < agents.length && !stopped) {
        const agent = agents[index++]!;
        probed += 1;
        try {
          const result = await probeRuntime(agent.url!, config.probeTimeoutMs);
          if (await handleResult(agent, result)) healthy += 1;
        } catch (error) {
          services.logger.warn({ err: error, agentId: agent.id }, "health poll of an agent failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, agents.length) }, worker));
    return {
      polled: probed,
      healthy,
      failed: probed - healthy,
      durationMs: performance.now() - started,
    };
  }

  const periodic = createPeriodicTask(config.intervalMs, pollOnce, (error) =>
    services.logger.warn({ err: error }, "health poll cycle failed"),
  );

  return {
    /** One cycle now (tests and benchmarks call this directly; it probes even when the timer is stopped). */
    pollOnce: async () => {
      const wasStopped = stopped;
      stopped = false;
      try {
        return await pollOnce();
      } finally {
        stopped = wasStopped;
      }
    },
    start() {
      stopped = false;
      periodic.start();
    },
    async stop() {
      stopped = true;
      await periodic.stop();
    },
  };
}

export type HealthPoller = ReturnType<typeof createHealthPoller>;
