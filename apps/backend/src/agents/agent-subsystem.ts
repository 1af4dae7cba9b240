import type { Db } from "@agentbot/db";
import type { EngineDriver } from "@agentbot/engine";
import type { KeyValueStore } from "@agentbot/kv";
import { createSecretBox, parseEncryptionKeys } from "@agentbot/secrets";
import type { Logger } from "../logger.ts";
import type { AgentConfig, AgentServices } from "./agent-services.ts";
import { AgentTimeline } from "./agent-timeline.ts";
import { createHealthPoller } from "./health/health-poller.ts";
import type { HealthPollerConfig } from "./health/health-poller.ts";
import { createOperationQueue } from "./operations/operation-queue.ts";
import { runOperation } from "./operations/operation-runner.ts";
import { createReconciler } from "./reconciler.ts";
import { createInProcessSlotGate } from "./slots/in-process-slot-gate.ts";
import { createRedisSlotGate } from "./slots/redis-slot-gate.ts";

export interface AgentSubsystemOptions {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly databaseUrl: string;
  /** Redis for deployment slots; undefined: in-process slots (single backend instance). */
  readonly redisUrl: string | undefined;
  readonly driver: EngineDriver;
  readonly encryptionKeys: string;
  readonly workerId: string;
  readonly workerConcurrency: number;
  readonly slots: { readonly globalLimit: number; readonly perUserLimit: number; readonly leaseMs: number };
  readonly config: AgentConfig;
  readonly health: HealthPollerConfig;
  readonly reconcile: { readonly intervalMs: number; readonly orphanGraceMs: number };
  /** Prefix of the slot keys in Redis (tests isolate themselves with it). */
  readonly slotKeyPrefix?: string;
}

/**
 * The agents subsystem of one backend process: job worker, health poller and reconciler around one engine driver.
 * `start()` reconciles once before taking jobs (so work a crashed predecessor left behind is picked up first).
 */
export async function createAgentSubsystem(options: AgentSubsystemOptions) {
  const logger = options.logger.child({ component: "agents" });
  const slots = options.redisUrl
    ? createRedisSlotGate(options.redisUrl, options.slots, options.slotKeyPrefix)
    : createInProcessSlotGate(options.slots);
  const queue = await createOperationQueue({ databaseUrl: options.databaseUrl, logger });
  const inFlight = new Set<Promise<void>>();
  let accepting = false;
  const execute = (operationId: string, signal?: AbortSignal) => {
    const run = runOperation(services, operationId, signal)
      .catch((error: unknown) => logger.error({ err: error, operationId }, "operation runner crashed"))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
    return run;
  };
  const services: AgentServices = {
    db: options.db,
    kv: options.kv,
    logger,
    driver: options.driver,
    slots,
    secrets: createSecretBox({ keys: parseEncryptionKeys(options.encryptionKeys) }),
    queue,
    timeline: new AgentTimeline({ db: options.db, kv: options.kv, logger }),
    config: options.config,
    workerId: options.workerId,
    dispatch: (operationId) => {
      if (accepting && inFlight.size < options.workerConcurrency) void execute(operationId);
    },
  };
  const poller = createHealthPoller(services, options.health);
  const reconciler = createReconciler(services, options.reconcile);

  return {
    services,
    poller,
    reconciler,
    async start() {
      await reconciler.reconcileOnce();
      await queue.work(options.workerConcurrency, (job, signal) => execute(job.operationId, signal));
      accepting = true;
      reconciler.start();
      poller.start();
    },
    /** Stops taking work; operations in flight finish or keep their lease until it expires (another worker resumes). */
    async stop(graceMs: number) {
      accepting = false;
      await Promise.allSettled([poller.stop(), reconciler.stop()]);
      await queue.stop(graceMs).catch((error: unknown) => logger.warn({ err: error }, "job queue stop failed"));
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, graceMs))]);
      await Promise.allSettled([slots.close(), options.driver.close()]);
    },
  };
}

export type AgentSubsystem = Awaited<ReturnType<typeof createAgentSubsystem>>;
