import { PgBoss } from "pg-boss";
import type { Logger } from "../../logger.ts";

const QUEUE = "agent-operations";

export interface OperationJob {
  readonly operationId: string;
}

export interface OperationQueue {
  /** Queues (or re-queues) the execution of an operation, optionally not before `delayMs`; higher priority first. */
  send(operationId: string, options?: { readonly delayMs?: number; readonly priority?: number }): Promise<void>;
  /** Starts this process's workers; `handle` runs each job (at most `concurrency` at once). */
  work(concurrency: number, handle: (job: OperationJob, signal: AbortSignal) => Promise<void>): Promise<void>;
  /** Stops taking jobs; waits for running handlers up to `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Durable jobs in PostgreSQL through pg-boss (its own `pgboss` schema, created and migrated by pg-boss at start).
 * A job only says "execute operation X": the operation row (agent_operations) holds the state, the lease and the
 * deadline, so a duplicate or retried job is harmless (the runner claims the operation's lease first). pg-boss adds
 * retries with exponential backoff when a handler throws (a bug or an outage), and keeps queued work across restarts.
 */
export async function createOperationQueue(options: {
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** Connections pg-boss may use. */
  readonly poolSize?: number;
}): Promise<OperationQueue> {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: "pgboss",
    max: options.poolSize ?? 4,
    application_name: "agentbot-operations",
    // Workers wake on NOTIFY when a job is sent (low latency from request to work), polling stays as a backstop.
    useListenNotify: true,
  });
  boss.on("error", (error: unknown) => options.logger.warn({ err: error }, "job queue error"));
  await boss.start();
  await boss.createQueue(QUEUE, {
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 120,
    // A handler that runs longer than this is presumed dead and its job retried; operations have their own
    // deadlines well below it.
    expireInSeconds: 3 * 60 * 60,
    notify: true,
  });

  return {
    async send(operationId, sendOptions) {
      const delayMs = sendOptions?.delayMs ?? 0;
      await boss.send(QUEUE, { operationId } satisfies OperationJob, {
        priority: sendOptions?.priority ?? 0,
        ...(delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}),
      });
    },
    async work(concurrency, handle) {
      await boss.work<OperationJob>(
        QUEUE,
        { localConcurrency: concurrency, batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
        async (jobs) => {
          for (const job of jobs) await handle(job.data, job.signal);
        },
      );
    },
    async stop(graceMs) {
      await boss.stop({ graceful: true, timeout: graceMs, close: true });
    },
  };
}
