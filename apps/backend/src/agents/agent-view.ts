import type { Agent, AgentEvent, AgentOperation } from "@agentbot/contracts";
import type { Prisma } from "@agentbot/db";

/** What the views need from the database: the agent and its active operation. */
export const agentWithActiveOperation = {
  include: {
    operations: { where: { status: { in: ["queued", "running"] } }, take: 1, orderBy: { createdAt: "desc" } },
  },
} as const satisfies Prisma.AgentDefaultArgs;

export type AgentRow = Prisma.AgentGetPayload<typeof agentWithActiveOperation>;
type OperationRow = Prisma.AgentOperationGetPayload<object>;
type EventRow = Prisma.AgentEventGetPayload<object>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * The contract view of an agent. Secrets (the sealed gateway token, provider key, channel tokens) and engine
 * internals never appear here; the route's response schema would strip them anyway.
 */
export function toAgentView(row: AgentRow): Agent {
  const active = row.operations[0];
  return {
    id: row.id,
    name: row.name,
    status: row.status as Agent["status"],
    failureReason: row.failureReason as Agent["failureReason"],
    failureMessage: row.failureMessage,
    engine: row.engine as Agent["engine"],
    url: row.url,
    runtimeVersion: row.runtimeVersion,
    plan: row.plan as Agent["plan"],
    cpuMillicores: row.cpuMillicores,
    memoryMb: row.memoryMb,
    modelProvider: row.modelProvider as Agent["modelProvider"],
    model: row.model,
    execPolicy: row.execPolicy as Agent["execPolicy"],
    activeOperation: active
      ? {
          id: active.id,
          kind: active.kind as AgentOperation["kind"],
          status: active.status as AgentOperation["status"],
        }
      : null,
    runningSince: iso(row.runningSince),
    lastHealthyAt: iso(row.lastHealthyAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

export function toOperationView(row: OperationRow): AgentOperation {
  return {
    id: row.id,
    kind: row.kind as AgentOperation["kind"],
    status: row.status as AgentOperation["status"],
    attempts: row.attempts,
    errorReason: row.errorReason,
    errorMessage: row.errorMessage,
    deadlineAt: row.deadlineAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

export function toEventView(row: EventRow): AgentEvent {
  return {
    id: row.id,
    operationId: row.operationId,
    type: row.type,
    status: row.status as AgentEvent["status"],
    message: row.message,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
  };
}
