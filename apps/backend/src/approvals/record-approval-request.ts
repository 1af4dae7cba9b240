import type { Approval } from "@agentbot/contracts";
import { newId, withTx } from "@agentbot/db";
import type { ExecApprovalDecision, ExecApprovalRequest } from "@agentbot/openclaw";
import { addExecAllowlistEntry } from "./add-exec-allowlist-entry.ts";
import { approvalSource, policyOutcome } from "./approval-rules.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { publishApprovalChange } from "./approval-services.ts";
import { toApprovalView, withAgentName } from "./approval-view.ts";

export interface RecordedApproval {
  readonly approval: Approval;
  /**
   * What to send to the runtime now: `allow-once` when the policy approved it automatically, or a decision recorded
   * earlier that the runtime has not accepted yet (a crash or lost connection between deciding and delivering);
   * null: a human must decide (or the runtime already has the decision).
   */
  readonly resolveWith: ExecApprovalDecision | null;
}

/**
 * Stores one exec approval the runtime raised (its event, or the backfill after a connect), classifies it and says
 * whether the agent's policy, or its allowlist (the exact command, approved always; never a Destructive one), lets it
 * run without a human. Called by the approver.
 *
 * Idempotent by (agent, runtime request id): the row is inserted with ON CONFLICT DO NOTHING, so a backfill after a
 * reconnect, or two instances seeing the same request, never make a second row, and a request already decided keeps
 * its decision (answered again in `resolveWith` while `runtime_resolved_at` is null, so it is re-sent). Auto-approval
 * also needs the runtime to offer `allow-once`. The classification is ours (the command classifier); the runtime's
 * own analysis is kept beside it. A new row is published to the owner's live stream (`created`).
 *
 * Answers null for an agent that does not exist or is deleted (nothing is stored; the runtime's own fallback denies).
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
  const key = { agentId_runtimeRequestId: { agentId: agent.id, runtimeRequestId: request.id } };
  const existing = await db.approvalRequest.findUnique({ where: key, ...withAgentName });
  if (existing) return recorded(existing);

  const classification = classifier.classify(request.command);
  // The agent's allowlist (approve always) holds exact commands; a Destructive one still always asks a human.
  const allowlisted =
    classification.class !== "destructive" &&
    (await db.agentExecAllowlistEntry.count({ where: { agentId: agent.id, pattern: request.command } })) > 0;
  const automatic =
    (allowlisted || policyOutcome(agent.execPolicy, classification.class) === "auto_approve") &&
    request.allowedDecisions.includes("allow-once");
  const now = services.now();
  const inserted = await db.approvalRequest.createMany({
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
        reasons: [
          ...(allowlisted ? ["on the agent's allowlist (approved always)"] : []),
          ...classification.reasons.map(
            (reason) => `${reason.class} [${reason.rule}] ${reason.part}: ${reason.reason}`,
          ),
        ],
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
  // Whoever inserted it or not (another instance won the race), the stored row is the answer.
  const row = await db.approvalRequest.findUniqueOrThrow({ where: key, ...withAgentName });
  if (inserted.count === 1) {
    await publishApprovalChange(services, agent.userId, agent.id, { type: "created", approvalId: row.id });
  }
  return recorded(row);
}

function recorded(row: Parameters<typeof toApprovalView>[0]): RecordedApproval {
  const undelivered = row.runtimeResolvedAt === null && isDecision(row.decision);
  return { approval: toApprovalView(row), resolveWith: undelivered ? (row.decision as ExecApprovalDecision) : null };
}

function isDecision(value: string | null): value is ExecApprovalDecision {
  return value === "allow-once" || value === "allow-always" || value === "deny";
}

/**
 * The runtime says a request was resolved (by us, by another operator client, or by its own expiry). A request still
 * pending here takes the runtime's outcome with no decider ("decided in the runtime"): approved (and, for
 * `allow-always`, put on the agent's allowlist, as the runtime did), denied, or expired when no decision is given.
 * Every request gets `runtime_resolved_at`, so nothing is re-sent for it.
 */
export async function markRuntimeResolved(
  services: ApprovalServices,
  input: { readonly agentId: string; readonly runtimeRequestId: string; readonly decision: string | null },
): Promise<void> {
  const now = services.now();
  const where = { agentId: input.agentId, runtimeRequestId: input.runtimeRequestId };
  const decision = isDecision(input.decision) ? input.decision : null;
  const status = decision === null ? "expired" : decision === "deny" ? "denied" : "approved";
  const changed = await withTx(services.db, async (tx) => {
    const rows = await tx.approvalRequest.updateManyAndReturn({
      where: { ...where, status: "pending" },
      data: { status, decision, decidedByUserId: null, decidedAt: now, runtimeResolvedAt: now },
    });
    for (const row of rows) {
      if (decision === "allow-always") {
        await addExecAllowlistEntry(tx, {
          agentId: row.agentId,
          pattern: row.command,
          createdByUserId: null,
          approvalRequestId: row.id,
        });
      }
    }
    await tx.approvalRequest.updateMany({
      where: { ...where, runtimeResolvedAt: null },
      data: { runtimeResolvedAt: now },
    });
    return rows;
  });
  for (const row of changed) {
    await publishApprovalChange(services, row.userId, row.agentId, { type: "decided", approvalId: row.id });
  }
}
