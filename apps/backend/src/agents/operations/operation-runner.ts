import { randomUUID } from "node:crypto";
import type { AgentFailureReason, AgentStatus, OperationKind } from "@agentbot/contracts";
import { Prisma } from "@agentbot/db";
import { EngineError } from "@agentbot/engine";
import type { WorkloadRef } from "@agentbot/engine";
import type { AgentServices } from "../agent-services.ts";
import { waitForHealthy } from "../health/runtime-probe.ts";
import type { SlotLease } from "../slots/slot-gate.ts";
import { buildWorkloadSpec } from "../workload-spec.ts";
import { leaseOperation } from "./operation-lease.ts";
import type { OperationLease } from "./operation-lease.ts";

type AgentRecord = Prisma.AgentGetPayload<object>;
type OperationRecord = Prisma.AgentOperationGetPayload<object>;

/** Kinds that boot a runtime, and so take a deployment slot. */
const NEEDS_SLOT: ReadonlySet<string> = new Set(["provision", "start", "restart", "redeploy"]);

/** A step failed in a way the user should read; `reason` is the agent's failureReason. */
export class OperationFailure extends Error {
  override readonly name = "OperationFailure";
  readonly reason: AgentFailureReason;
  constructor(reason: AgentFailureReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The operation cannot run now; its job is queued again after `delayMs` (slot full, retryable engine error). */
class Requeue extends Error {
  override readonly name = "Requeue";
  readonly delayMs: number;
  constructor(delayMs: number, message: string) {
    super(message);
    this.delayMs = delayMs;
  }
}

export function refOf(agent: AgentRecord): WorkloadRef | null {
  if (!agent.engineServiceId) return null;
  return {
    agentId: agent.id,
    serviceId: agent.engineServiceId,
    data: (agent.engineRef ?? {}) as Record<string, unknown>,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Executes one AgentOperation: claims its lease (so a duplicate job or a second backend does nothing), takes a
 * deployment slot when the operation boots a runtime, does the engine work step by step (each step an AgentEvent),
 * and on failure compensates (removes what a failed provisioning created, stops a half-started runtime), releases
 * the slot and records why. Every path ends the operation `succeeded` or `failed`, or queues it again; the
 * reconciler covers the paths where this process dies.
 */
export async function runOperation(services: AgentServices, operationId: string, signal?: AbortSignal) {
  const lease = await leaseOperation(services, operationId);
  if (!lease) return; // finished already, or another worker holds it
  const { db, timeline, logger } = services;
  let slot: SlotLease | null = null;
  const deadline = AbortSignal.timeout(Math.max(0, lease.operation.deadlineAt.getTime() - Date.now()));
  const work = AbortSignal.any([deadline, lease.lost, ...(signal ? [signal] : [])]);
  let op = lease.operation;
  try {
    if (op.deadlineAt.getTime() <= Date.now()) {
      throw new OperationFailure("deadline_exceeded", `the ${op.kind} operation did not finish before its deadline`);
    }
    const agent = await db.agent.findUniqueOrThrow({ where: { id: op.agentId } });
    if (NEEDS_SLOT.has(op.kind)) slot = await takeSlot(services, lease, agent);
    // An attempt is counted when the work really starts (waiting for a slot is not an attempt).
    op = await db.agentOperation.update({
      where: { id: op.id },
      data: { attempts: { increment: 1 }, slotHolder: slot?.holder ?? null },
    });
    // A lost slot lease (Redis unreachable for longer than the lease) does not stop the work: stopping a half-done
    // deployment is worse than briefly running one over the limit; the reconciler fixes the slot counts.
    slot?.lost.addEventListener("abort", () => logger.warn({ operationId }, "deployment slot lease lost; continuing"), {
      once: true,
    });
    await execute(services, op, agent, work);
    await finish(services, lease, { status: "succeeded" });
  } catch (error) {
    if (error instanceof Requeue) {
      await lease.requeue(error.delayMs);
      return;
    }
    const failure = toFailure(error, deadline.aborted, lease.lost.aborted);
    if (lease.lost.aborted) {
      // Another worker owns the operation now; do not touch it.
      logger.warn({ operationId, err: error }, "operation lease lost; leaving the operation to its new worker");
      return;
    }
    if (failure.reason === "internal_error") logger.error({ operationId, err: error }, "operation failed unexpectedly");
    await compensate(services, op, failure);
    await finish(services, lease, { status: "failed", failure });
  } finally {
    await slot?.release();
    lease.stopRenewing();
  }
  await timeline.publishState(op.agentId);
}

function toFailure(error: unknown, deadlinePassed: boolean, leaseLost: boolean): OperationFailure {
  if (error instanceof OperationFailure) return error;
  if (deadlinePassed)
    return new OperationFailure("deadline_exceeded", "the operation did not finish before its deadline");
  if (leaseLost) return new OperationFailure("internal_error", "the operation's lease was lost");
  if (error instanceof EngineError) {
    return new OperationFailure(error.code === "invalid_config" ? "invalid_config" : "engine_error", error.message);
  }
  return new OperationFailure("internal_error", "an internal error stopped the operation; it is safe to retry");
}

/** Waits for a deployment slot without holding the worker: blocked → the job comes back a little later. */
async function takeSlot(services: AgentServices, lease: OperationLease, agent: AgentRecord): Promise<SlotLease> {
  const op = lease.operation;
  // A fresh holder per try: a dead worker's stale holder must not count as this attempt's slot.
  const holder = `${op.id}.${randomUUID().slice(0, 8)}`;
  const attempt = await services.slots.tryAcquire(holder, op.userId);
  if (attempt.lease) {
    const waitedMs = Date.now() - op.createdAt.getTime();
    services.timeline.note({
      agentId: agent.id,
      operationId: op.id,
      type: "slot.acquired",
      message: "Deployment slot acquired",
      durationMs: waitedMs,
      update: op.kind === "provision" ? { status: "provisioning" } : {},
    });
    return attempt.lease;
  }
  const alreadyWaiting = await services.db.agentEvent.count({
    where: { operationId: op.id, type: "slot.waiting" },
  });
  if (alreadyWaiting === 0) {
    await services.timeline.record({
      agentId: agent.id,
      operationId: op.id,
      type: "slot.waiting",
      message:
        attempt.blockedBy === "user"
          ? "Queued: your other agents are deploying; this one starts when one of them is done"
          : "Queued: the platform is deploying other agents; this one starts when a slot frees up",
      update: op.kind === "provision" ? { status: "queued" } : {},
    });
  }
  throw new Requeue(services.config.slotRetryMs, `waiting for a ${attempt.blockedBy} slot`);
}

async function execute(services: AgentServices, op: OperationRecord, agent: AgentRecord, signal: AbortSignal) {
  const kind = op.kind as OperationKind;
  const existing = refOf(agent);
  switch (kind) {
    case "provision":
      await bootWorkload(services, op, agent, signal, "create");
      return;
    case "start":
    case "restart":
    case "redeploy":
      // An agent whose workload never got created (or was removed) is provisioned afresh: retrying is safe.
      await bootWorkload(services, op, agent, signal, existing ? kind : "create");
      return;
    case "stop": {
      await services.timeline.record({
        agentId: agent.id,
        operationId: op.id,
        type: "operation.started",
        message: "Stopping the runtime",
        update: { status: "stopping" },
      });
      const started = performance.now();
      if (existing) await services.driver.stop(existing, { signal, onProgress: progress(services, op) });
      await services.timeline.record({
        agentId: agent.id,
        operationId: op.id,
        type: "engine.stopped",
        message: "Runtime stopped",
        durationMs: performance.now() - started,
        update: { status: "stopped", runningSince: null, consecutiveHealthFailures: 0 },
      });
      return;
    }
    case "delete": {
      await services.timeline.record({
        agentId: agent.id,
        operationId: op.id,
        type: "operation.started",
        message: "Deleting the runtime and its state",
        update: { status: "deleting" },
      });
      const started = performance.now();
      if (existing) await services.driver.delete(existing, { signal, onProgress: progress(services, op) });
      await services.timeline.record({
        agentId: agent.id,
        operationId: op.id,
        type: "engine.deleted",
        message: "Runtime, volume and state removed; the agent's record is kept",
        durationMs: performance.now() - started,
        update: {
          status: "deleted",
          deletedAt: new Date(),
          url: null,
          engineServiceId: null,
          engineRef: Prisma.DbNull,
          runningSince: null,
        },
      });
      return;
    }
  }
}

/** Repeated progress of one step (an install's percentage) reaches the timeline at most this often. */
const PROGRESS_EVENT_INTERVAL_MS = 3_000;

/**
 * Engine progress → the agent's timeline. Raw installer output lines only go to the log (there can be hundreds);
 * repeated `*.progress` steps are throttled, so the dashboard shows a long install moving without flooding it.
 */
const progress = (services: AgentServices, op: OperationRecord) => {
  const lastShown = new Map<string, number>();
  return (step: string, message: string) => {
    if (step.endsWith(".output")) {
      services.logger.debug({ agentId: op.agentId, step }, message);
      return;
    }
    if (step.endsWith(".progress")) {
      const now = Date.now();
      if (now - (lastShown.get(step) ?? 0) < PROGRESS_EVENT_INTERVAL_MS) return;
      lastShown.set(step, now);
    }
    services.timeline.note({ agentId: op.agentId, operationId: op.id, type: `engine.${step}`, message });
  };
};

const bootingStatus: Record<"create" | "start" | "restart" | "redeploy", AgentStatus> = {
  create: "provisioning",
  start: "starting",
  restart: "restarting",
  redeploy: "redeploying",
};

/** Creates/starts/restarts/redeploys the runtime, then waits until its probes say live and ready. */
async function bootWorkload(
  services: AgentServices,
  op: OperationRecord,
  agent: AgentRecord,
  signal: AbortSignal,
  action: "create" | "start" | "restart" | "redeploy",
) {
  const { driver, timeline } = services;
  const params = (op.params ?? {}) as {
    runtimeVersion?: string;
    resources?: { plan: string; cpuMillicores: number; memoryMb: number };
  };
  let record = agent;
  if (action === "redeploy" && params.runtimeVersion && params.runtimeVersion !== agent.runtimeVersion) {
    record = await services.db.agent.update({
      where: { id: agent.id },
      data: { runtimeVersion: params.runtimeVersion },
    });
  }
  if (action === "redeploy" && params.resources) {
    // The plan in force when the redeploy was asked for (an upgrade's new resources, or a downgrade's).
    record = await services.db.agent.update({ where: { id: agent.id }, data: params.resources });
  }
  timeline.note({
    agentId: agent.id,
    operationId: op.id,
    type: "operation.started",
    message:
      action === "create"
        ? `Provisioning on the ${driver.kind} engine`
        : action === "redeploy"
          ? `Redeploying with runtime ${record.runtimeVersion} (${record.cpuMillicores / 1000} vCPU, ${record.memoryMb / 1024} GB)`
          : `${action === "start" ? "Starting" : "Restarting"} the runtime`,
    update: { status: bootingStatus[action], failureReason: null, failureMessage: null },
  });

  const configStarted = performance.now();
  let spec;
  try {
    spec = buildWorkloadSpec(record, services);
  } catch (error) {
    throw new OperationFailure("invalid_config", `the agent's runtime configuration is invalid: ${describe(error)}`);
  }
  if (action === "create" || action === "redeploy") {
    timeline.note({
      agentId: agent.id,
      operationId: op.id,
      type: "config.generated",
      message: "OpenClaw configuration, gateway token and provider settings prepared",
      durationMs: performance.now() - configStarted,
    });
  }

  const engineStarted = performance.now();
  const callOptions = { signal, onProgress: progress(services, op) };
  let ref: WorkloadRef;
  try {
    const existing = refOf(record);
    if (action === "create" || !existing) ref = await driver.create(spec, callOptions);
    else if (action === "start") ref = await driver.start(existing, callOptions);
    else if (action === "restart") ref = await driver.restart(existing, callOptions);
    else ref = await driver.redeploy(existing, spec, callOptions);
  } catch (error) {
    if (error instanceof EngineError && error.retryable && op.attempts <= services.config.engineRetryLimit) {
      const delayMs = services.config.engineRetryBaseDelayMs * 2 ** (op.attempts - 1);
      await timeline.record({
        agentId: agent.id,
        operationId: op.id,
        type: "engine.retry_scheduled",
        message: `The engine failed (${error.message}); retrying in ${Math.round(delayMs / 1000)} s`,
      });
      throw new Requeue(delayMs, error.message);
    }
    throw error;
  }
  const url = driver.endpoint(ref).baseUrl;
  timeline.note({
    agentId: agent.id,
    operationId: op.id,
    type: action === "create" ? "engine.created" : `engine.${action === "redeploy" ? "redeployed" : action + "ed"}`,
    message: action === "create" ? `Runtime created on the ${driver.kind} engine` : `Runtime ${action} requested`,
    durationMs: performance.now() - engineStarted,
    update: {
      engineServiceId: ref.serviceId,
      engineRef: ref.data as Prisma.InputJsonValue,
      url,
    },
  });

  const result = await waitForHealthy(url, {
    deadlineMs: Math.min(services.config.healthDeadlineMs, Math.max(0, op.deadlineAt.getTime() - Date.now())),
    signal,
    onStage: (stage, elapsedMs) => {
      timeline.note({
        agentId: agent.id,
        operationId: op.id,
        type: stage === "live" ? "health.live" : "health.ready",
        message: stage === "live" ? "/healthz answered live" : "/readyz answered ready",
        durationMs: elapsedMs,
      });
    },
    isGone: async () => {
      const status = await driver.status(ref, { signal }).catch(() => null);
      if (status?.state === "crashed" || status?.state === "missing") {
        if (status.exitCode === 78) {
          throw new OperationFailure("invalid_config", "the runtime refused its configuration (exit code 78)");
        }
        return `the runtime ${status.state === "crashed" ? "exited" : "disappeared"} while starting${status.detail ? ` (${status.detail})` : ""}`;
      }
      return null;
    },
  });
  if (!result.healthy) {
    throw new OperationFailure(result.reason === "crashed" ? "engine_error" : "health_timeout", result.message);
  }
  const now = new Date();
  await timeline.record({
    agentId: agent.id,
    operationId: op.id,
    type: "status.running",
    message: "The agent is running",
    durationMs: Date.now() - op.createdAt.getTime(),
    update: {
      status: "running",
      runningSince: now,
      lastHealthyAt: now,
      consecutiveHealthFailures: 0,
      failureReason: null,
      failureMessage: null,
      // Automatic restarts keep counting toward the crash-loop cap; a person's action starts afresh.
      ...((op.params as { automatic?: boolean } | null)?.automatic ? {} : { autoRestartCount: 0 }),
      nextAutoRestartAt: null,
    },
  });
}

/**
 * Undo what the failed operation left half-done. A failed provisioning removes the workload it created (no orphan,
 * nothing billed); a failed start/restart/redeploy stops the runtime but keeps its state (the customer's data).
 */
async function compensate(services: AgentServices, op: OperationRecord, failure: OperationFailure) {
  // The engine's handle may still be on its way to the database (timeline notes are written off the critical path).
  await services.timeline.flush(op.agentId);
  const agent = await services.db.agent.findUnique({ where: { id: op.agentId } });
  const ref = agent ? refOf(agent) : null;
  if (!agent || !ref || op.kind === "delete" || op.kind === "stop") return;
  const removal = op.kind === "provision";
  try {
    if (removal) await services.driver.delete(ref);
    else await services.driver.stop(ref);
    await services.timeline.record({
      agentId: agent.id,
      operationId: op.id,
      type: removal ? "compensation.removed" : "compensation.stopped",
      message: removal
        ? "Removed the half-created runtime so nothing is left behind"
        : "Stopped the runtime that did not come up healthy (its state is kept)",
      update: removal ? { engineServiceId: null, engineRef: Prisma.DbNull, url: null } : {},
    });
  } catch (error) {
    // The reconciler's orphan sweep removes what this could not.
    services.logger.warn({ err: error, agentId: agent.id, reason: failure.reason }, "compensation failed");
  }
}

async function finish(
  services: AgentServices,
  lease: OperationLease,
  outcome: { readonly status: "succeeded" } | { readonly status: "failed"; readonly failure: OperationFailure },
) {
  const op = lease.operation;
  const failure = outcome.status === "failed" ? outcome.failure : null;
  await services.db.$transaction(async (tx) => {
    await tx.agentOperation.update({
      where: { id: op.id },
      data: {
        status: outcome.status,
        finishedAt: new Date(),
        leaseHolder: null,
        leaseExpiresAt: null,
        errorReason: failure?.reason ?? null,
        errorMessage: failure?.message ?? null,
      },
    });
    await tx.agent.updateMany({
      where: { id: op.agentId, activeOperationId: op.id },
      data: { activeOperationId: null },
    });
  });
  if (failure) {
    await services.timeline.record({
      agentId: op.agentId,
      operationId: op.id,
      type: "status.failed",
      message: failure.message,
      update: {
        status: "failed",
        failureReason: failure.reason,
        failureMessage: failure.message,
        runningSince: null,
      },
    });
  }
}
