import { newId } from "@agentbot/db";
import type { ExecApprovalDecision, ExecApprovalRequest } from "@agentbot/openclaw";
import { approvalSource, runsWithoutHuman } from "./approval-rules.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { publishApprovalChange } from "./approval-services.ts";

export interface RecordedApproval {
  readonly approvalId: string;
  readonly status: string;
  /** What to send to the runtime now: a policy's automatic allow, or a decision not yet delivered; null: wait. */
  readonly resolveWith: ExecApprovalDecision | null;
}

/**
 * Stores one exec approval the runtime raised (its event, or the backfill after a connect) and says whether the
 * policy lets it run without a human. Idempotent by (agent, runtime request id): a second sight of the same request
 * changes nothing and answers the stored decision if the runtime has not accepted it yet (a crash between deciding
 * and delivering), so it is sent again. The classification is ours (the command classifier); the runtime's own
 * analysis is kept beside it.
 */
export async function recordExecApprovalRequest(
  services: ApprovalServices,
  input: { readonly agentId: string; readonly request: ExecApprovalRequest },
): Promise<RecordedApproval | null> {
  const { db, classifier } = services;
  const agent = await db.agent.findUnique({
    where: { id: input.agentId },
    select: { id: true, userId: true, execPolicy: true, deletedAt: true },
  });
  if (!agent || agent.deletedAt) return null;
  const { request } = input;
  const existing = await db.approvalRequest.findUnique({
    where: { agentId_runtimeRequestId: { agentId: agent.id, runtimeRequestId: request.id } },
  });
  if (existing) return undeliveredDecision(existing);

  const classification = classifier.classify(request.command);
  const automatic =
    runsWithoutHuman(agent.execPolicy, classification.class) && request.allowedDecisions.includes("allow-once");
  const now = new Date();
  const created = await db.approvalRequest.createManyAndReturn({
    data: [
      {
        id: newId("approvalRequest"),
        userId: agent.userId,
        agentId: agent.id,
        kind: "exec",
        runtimeRequestId: request.id,
        command: request.command,
        cwd: request.cwd,
        runtimeAnalysis: { riskKinds: request.riskKinds, allowedDecisions: request.allowedDecisions },
        classification: classification.class,
        reasons: classification.reasons.map(
          (reason) => `${reason.class} [${reason.rule}] ${reason.part}: ${reason.reason}`,
        ),
        source: approvalSource(request.sessionKey, request.turnSourceChannel),
        status: automatic ? "auto_approved" : "pending",
        decision: automatic ? "allow-once" : null,
        decidedAt: automatic ? now : null,
        createdAt: request.createdAtMs ? new Date(request.createdAtMs) : now,
        expiresAt: new Date(request.expiresAtMs),
      },
    ],
    skipDuplicates: true,
  });
  const row =
    created[0] ??
    (await db.approvalRequest.findUniqueOrThrow({
      where: { agentId_runtimeRequestId: { agentId: agent.id, runtimeRequestId: request.id } },
    }));
  if (created[0])
    await publishApprovalChange(services, agent.userId, agent.id, { type: "created", approvalId: row.id });
  return undeliveredDecision(row);
}

function undeliveredDecision(row: {
  id: string;
  status: string;
  decision: string | null;
  runtimeResolvedAt: Date | null;
}): RecordedApproval {
  const pendingDelivery = row.runtimeResolvedAt === null && isDecision(row.decision);
  return {
    approvalId: row.id,
    status: row.status,
    resolveWith: pendingDelivery ? (row.decision as ExecApprovalDecision) : null,
  };
}

function isDecision(value: string | null): boolean {
  return value === "allow-once" || value === "allow-always" || value === "deny";
}

/**
 * The runtime says a request was resolved (by us, by another operator client, or by its own expiry). A request still
 * pending here takes the runtime's outcome with no decider; every request gets runtime_resolved_at.
 */
export async function markRuntimeResolved(
  services: ApprovalServices,
  input: { readonly agentId: string; readonly runtimeRequestId: string; readonly decision: string | null },
): Promise<void> {
  const now = new Date();
  const where = { agentId: input.agentId, runtimeRequestId: input.runtimeRequestId };
  const status =
    input.decision === "allow-once" || input.decision === "allow-always"
      ? "approved"
      : input.decision === "deny"
        ? "denied"
        : "expired";
  const changed = await services.db.approvalRequest.updateManyAndReturn({
    where: { ...where, status: "pending" },
    data: { status, decision: input.decision, decidedAt: now, runtimeResolvedAt: now },
  });
  await services.db.approvalRequest.updateMany({
    where: { ...where, runtimeResolvedAt: null },
    data: { runtimeResolvedAt: now },
  });
  for (const row of changed) {
    await publishApprovalChange(services, row.userId, row.agentId, { type: "decided", approvalId: row.id });
  }
}
