import type { Prisma } from "@agentbot/db";
import type { AgentServices } from "../agent-services.ts";

type OperationRecord = Prisma.AgentOperationGetPayload<object>;

export interface OperationLease {
  /** The operation as claimed (status running). */
  readonly operation: OperationRecord;
  /** Aborted when the lease could not be renewed (another worker may own the operation now). */
  readonly lost: AbortSignal;
  /** Hands the operation back to the queue (status queued, lease released), to run again after `delayMs`. */
  requeue(delayMs: number): Promise<void>;
  stopRenewing(): void;
}

/**
 * Claims an operation for this worker: only a queued operation, or a running one whose lease expired (its worker
 * died), can be claimed, in one conditional UPDATE, so two workers never run the same operation. The lease is
 * renewed every third of its length while the work goes on. Answers null when there is nothing to do.
 */
export async function leaseOperation(services: AgentServices, operationId: string): Promise<OperationLease | null> {
  const { db, config, workerId } = services;
  const now = new Date();
  const claimed = await db.agentOperation.updateMany({
    where: {
      id: operationId,
      OR: [
        { status: "queued" },
        { status: "running", OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
      ],
    },
    data: {
      status: "running",
      leaseHolder: workerId,
      leaseExpiresAt: new Date(now.getTime() + config.leaseMs),
    },
  });
  if (claimed.count === 0) return null;
  await db.agentOperation.updateMany({ where: { id: operationId, startedAt: null }, data: { startedAt: now } });
  const operation = await db.agentOperation.findUniqueOrThrow({ where: { id: operationId } });
  const lost = new AbortController();
  const renew = setInterval(
    () => {
      void db.agentOperation
        .updateMany({
          where: { id: operationId, leaseHolder: workerId, status: "running" },
          data: { leaseExpiresAt: new Date(Date.now() + config.leaseMs) },
        })
        .then((result) => {
          if (result.count === 0) lost.abort(new Error("operation lease lost"));
        })
        .catch((error: unknown) =>
          services.logger.warn({ err: error, operationId }, "could not renew an operation lease"),
        );
    },
    Math.max(100, Math.floor(config.leaseMs / 3)),
  );
  renew.unref();

  return {
    operation,
    lost: lost.signal,
    stopRenewing: () => clearInterval(renew),
    async requeue(delayMs) {
      clearInterval(renew);
      await db.agentOperation.updateMany({
        where: { id: operationId, leaseHolder: workerId },
        data: { status: "queued", leaseHolder: null, leaseExpiresAt: null, slotHolder: null },
      });
      await services.queue.send(operationId, { delayMs });
    },
  };
}
