import type { Approval, ApprovalActor, HumanDecision, ValidationIssue } from "@agentbot/contracts";
import { newId, withTx } from "@agentbot/db";
import type { ExecApprovalDecision } from "@agentbot/openclaw";
import { HttpError } from "../http/http-error.ts";
import { addExecAllowlistEntry } from "./add-exec-allowlist-entry.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { publishApprovalChange } from "./approval-services.ts";
import type { ApprovalRow } from "./approval-view.ts";
import { humanDecisions, offeredDecisions, toApprovalView, withAgentName } from "./approval-view.ts";
import { assertRecentReauthentication } from "./reauthentication.ts";

const toRuntimeDecision: Record<HumanDecision, ExecApprovalDecision> = {
  approve_once: "allow-once",
  approve_always: "allow-always",
  deny: "deny",
};

export interface DecideApprovalInput {
  readonly userId: string;
  readonly approvalId: string;
  readonly decision: HumanDecision;
  /** Required to approve a Destructive command: the agent's name, typed back. */
  readonly confirmAgentName?: string | undefined;
  /** Who decides and how they signed in (a session can re-authenticate; an API key cannot). */
  readonly actor: ApprovalActor;
}

/**
 * A human's decision on one pending request.
 *
 * - Another user's request answers 404, exactly like one that does not exist.
 * - Recording is one conditional UPDATE (`status = 'pending'` and not expired), so two clicks or two backend
 *   instances at once make exactly one decision, one audit event (`approval.decided`) and one call to the runtime;
 *   the other call answers the same decision without error. A different decision after the fact is 409 naming the
 *   state.
 * - Approving a Destructive command needs a password re-authentication within 5 minutes (403
 *   `reauthentication_required`; never possible with an API key) and the agent's name typed back (400 naming
 *   `body.confirmAgentName`). Denying never needs either.
 * - Approve always puts the exact command on the agent's allowlist, in the same transaction.
 * - Then the decision goes to the runtime through the resolver port; when it took it (or had resolved the request
 *   already) `runtime_resolved_at` is set. When the runtime is unavailable the decision stays recorded and the
 *   approver holding the agent's connection sends it (woken by the decisions channel, or at its next connect).
 */
export async function decideApproval(services: ApprovalServices, input: DecideApprovalInput): Promise<Approval> {
  const { db } = services;
  const approval = await db.approvalRequest.findFirst({
    where: { id: input.approvalId, userId: input.userId },
    ...withAgentName,
  });
  if (!approval) throw new HttpError(404, "not_found", "No such approval request.");
  const decision = toRuntimeDecision[input.decision];
  const now = services.now();

  if (approval.status !== "pending" || approval.expiresAt <= now) return alreadyDecided(approval, decision);

  const allowed = offeredDecisions(approval.runtimeAnalysis, approval.classification);
  if (!allowed.includes(decision)) {
    const why =
      input.decision === "approve_always" && approval.classification === "destructive"
        ? "a Destructive command is never added to the allowlist"
        : "the runtime does not offer it";
    throw invalid(`"${input.decision}" is not offered for this command: ${why}.`, {
      path: "body.decision",
      message: `one of ${allowed.map((entry) => humanDecisions[entry]).join(", ")}`,
      code: "not_offered",
    });
  }
  if (approval.classification === "destructive" && decision !== "deny") {
    await assertRecentReauthentication(db, {
      userId: input.userId,
      actor: input.actor,
      now,
      what: "Approving a destructive command",
    });
    if (input.confirmAgentName !== approval.agent.name) {
      throw invalid("Type the agent's name to approve a destructive command.", {
        path: "body.confirmAgentName",
        message: `must be the agent's name exactly (${approval.agent.name})`,
        code: "confirmation_mismatch",
      });
    }
  }

  const claimed = await withTx(db, async (tx) => {
    const updated = await tx.approvalRequest.updateMany({
      where: { id: approval.id, status: "pending", expiresAt: { gt: now } },
      data: {
        status: decision === "deny" ? "denied" : "approved",
        decision,
        decidedByUserId: input.userId,
        decidedAt: now,
      },
    });
    if (updated.count === 0) return false;
    if (decision === "allow-always") {
      await addExecAllowlistEntry(tx, {
        agentId: approval.agentId,
        pattern: approval.command,
        createdByUserId: input.userId,
        approvalRequestId: approval.id,
      });
    }
    await tx.auditEvent.create({
      data: {
        id: newId("auditEvent"),
        action: "approval.decided",
        actorUserId: input.userId,
        subjectUserId: approval.userId,
        targetType: "approval_request",
        targetId: approval.id,
        ip: input.actor.ip ?? null,
        userAgent: input.actor.userAgent ?? null,
        // Never the command: a command line may carry whatever the model put in it (tokens included).
        metadata: {
          agentId: approval.agentId,
          kind: approval.kind,
          classification: approval.classification,
          decision,
          via: input.actor.via,
          ...(input.actor.apiKeyId === undefined ? {} : { apiKeyId: input.actor.apiKeyId }),
          allowlisted: decision === "allow-always",
        },
      },
    });
    return true;
  });
  if (!claimed) {
    const row = await db.approvalRequest.findUniqueOrThrow({ where: { id: approval.id }, ...withAgentName });
    return alreadyDecided(row, decision);
  }

  await deliver(services, { agentId: approval.agentId, runtimeRequestId: approval.runtimeRequestId, decision });
  await publishApprovalChange(services, approval.userId, approval.agentId, {
    type: "decided",
    approvalId: approval.id,
  });
  const row = await db.approvalRequest.findUniqueOrThrow({ where: { id: approval.id }, ...withAgentName });
  return toApprovalView(row);
}

/** Sends the recorded decision through the port; a failing port counts as unavailable (the decision is kept). */
async function deliver(
  services: ApprovalServices,
  input: { readonly agentId: string; readonly runtimeRequestId: string; readonly decision: ExecApprovalDecision },
): Promise<void> {
  let outcome: "resolved" | "already_resolved" | "unavailable";
  try {
    outcome = await services.resolver.resolve(input);
  } catch (error) {
    services.logger.warn({ err: error, agentId: input.agentId }, "the runtime resolver failed; the decision waits");
    outcome = "unavailable";
  }
  if (outcome === "unavailable") return;
  await services.db.approvalRequest.updateMany({
    where: { agentId: input.agentId, runtimeRequestId: input.runtimeRequestId, runtimeResolvedAt: null },
    data: { runtimeResolvedAt: services.now() },
  });
}

function alreadyDecided(row: ApprovalRow, decision: ExecApprovalDecision): Approval {
  if (row.decision === decision) return toApprovalView(row);
  const state = row.status === "pending" ? "expired" : row.status.replace("_", "-");
  throw new HttpError(409, "conflict", `This request is already ${state}; it cannot be decided again.`, {
    status: row.status === "pending" ? "expired" : row.status,
    decision: row.decision,
  });
}

function invalid(message: string, issue: ValidationIssue): HttpError {
  return new HttpError(400, "validation_failed", message, { issues: [issue] });
}
