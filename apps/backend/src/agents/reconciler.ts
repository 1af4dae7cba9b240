import type { AgentServices } from "./agent-services.ts";
import { runOperation } from "./operations/operation-runner.ts";
import { createPeriodicTask } from "./periodic-task.ts";

export interface ReconcileReport {
  /** Operations whose deadline passed: failed (and compensated by the runner's failure path). */
  readonly overdue: number;
  /** Queued or abandoned (expired lease) operations handed to the job queue again. */
  readonly requeued: number;
  /** Engine workloads no agent owns, removed after the grace period. */
  readonly orphansRemoved: number;
  /** Slot holders Redis had that no running operation owns. */
  readonly slotsFreed: number;
}

/**
 * Makes the world match PostgreSQL, on boot and periodically:
 * 1. operations past their deadline are failed (their workload compensated) so nothing stays non-terminal;
 * 2. operations queued without a live job, or running with an expired lease (their worker died), go back to the
 *    job queue — the lease makes a duplicate harmless;
 * 3. engine workloads no live agent owns (a crash between engine create and the database write, a deleted agent's
 *    leftovers) are removed once older than the grace period;
 * 4. deployment-slot holders that no running operation owns are dropped from Redis.
 * Running agents are re-adopted by the drivers themselves (the local driver reads its process records); the health
 * poller then watches them as before.
 */
export function createReconciler(
  services: AgentServices,
  config: { readonly orphanGraceMs: number; readonly intervalMs: number },
) {
  async function failOverdue(): Promise<number> {
    const now = new Date();
    const overdue = await services.db.agentOperation.findMany({
      where: {
        status: { in: ["queued", "running"] },
        deadlineAt: { lt: now },
        OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }],
      },
      select: { id: true },
    });
    // The runner claims the expired lease, sees its deadline has passed and takes the failure path (compensation,
    // slot release, agent failed with deadline_exceeded).
    for (const operation of overdue) await runOperation(services, operation.id);
    return overdue.length;
  }

  async function requeueAbandoned(): Promise<number> {
    const now = new Date();
    const staleQueuedBefore = new Date(now.getTime() - config.intervalMs);
    const abandoned = await services.db.agentOperation.findMany({
      where: {
        deadlineAt: { gte: now },
        OR: [
          { status: "running", leaseExpiresAt: { lt: now } },
          // Queued for longer than a reconcile period with no update: its job may have been lost before it was sent.
          { status: "queued", updatedAt: { lt: staleQueuedBefore } },
        ],
      },
      select: { id: true },
    });
    for (const operation of abandoned) await services.queue.send(operation.id);
    return abandoned.length;
  }

  async function removeOrphans(): Promise<number> {
    const workloads = await services.driver.list();
    if (workloads.length === 0) return 0;
    const owners = await services.db.agent.findMany({
      where: { engineServiceId: { in: workloads.map((workload) => workload.ref.serviceId) }, deletedAt: null },
      select: { engineServiceId: true },
    });
    // An agent whose operation is creating its workload right now may not have recorded the service id yet.
    const creating = await services.db.agentOperation.findMany({
      where: { status: { in: ["queued", "running"] }, kind: { in: ["provision", "start", "restart", "redeploy"] } },
      select: { agentId: true },
    });
    const owned = new Set(owners.map((owner) => owner.engineServiceId));
    const busyAgents = new Set(creating.map((operation) => operation.agentId));
    const cutoff = Date.now() - config.orphanGraceMs;
    let removed = 0;
    for (const workload of workloads) {
      if (owned.has(workload.ref.serviceId)) continue;
      if (workload.agentId && busyAgents.has(workload.agentId)) continue;
      if (workload.createdAt && workload.createdAt.getTime() > cutoff) continue;
      try {
        await services.driver.delete(workload.ref);
        removed += 1;
        services.logger.info(
          { serviceId: workload.ref.serviceId, agentId: workload.agentId },
          "removed an engine workload that no agent owns",
        );
      } catch (error) {
        services.logger.warn({ err: error, serviceId: workload.ref.serviceId }, "could not remove an orphan workload");
      }
    }
    return removed;
  }

  async function fixSlots(): Promise<number> {
    const holders = await services.db.agentOperation.findMany({
      where: { status: "running", slotHolder: { not: null } },
      select: { slotHolder: true, userId: true },
    });
    const keep = new Map(holders.map((holder) => [holder.slotHolder!, holder.userId]));
    const { removed } = await services.slots.reconcile(keep);
    return removed;
  }

  async function reconcileOnce(): Promise<ReconcileReport> {
    const overdue = await failOverdue();
    const requeued = await requeueAbandoned();
    const orphansRemoved = await removeOrphans().catch((error: unknown) => {
      services.logger.warn({ err: error }, "orphan sweep failed (engine unreachable?)");
      return 0;
    });
    const slotsFreed = await fixSlots();
    const report = { overdue, requeued, orphansRemoved, slotsFreed };
    if (overdue + requeued + orphansRemoved + slotsFreed > 0) services.logger.info(report, "reconciled");
    return report;
  }

  const periodic = createPeriodicTask(config.intervalMs, reconcileOnce, (error) =>
    services.logger.warn({ err: error }, "reconcile failed"),
  );

  return {
    reconcileOnce,
    start: () => periodic.start(),
    stop: () => periodic.stop(),
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
