import { newId } from "@agentbot/db";
import type { ExecApprovalDecision } from "@agentbot/openclaw";
import { HttpError } from "../http/http-error.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { publishApprovalChange } from "./approval-services.ts";
import { toApprovalView } from "./approval-view.ts";

export type HumanDecision = "approve_once" | "approve_always" | "deny";

const toRuntimeDecision: Record<HumanDecision, ExecApprovalDecision> = {
  approve_once: "allow-once",
  approve_always: "allow-always",
  deny: "deny",
};

/**
 * A human's decision on one pending request. Recording it is one conditional UPDATE (`status = 'pending'`, not
 * expired), so two clicks or two backend instances at once make exactly one decision and one audit event; repeating
 * the decision already made answers it again without error, a different one after the fact is a 409 naming the
 * state. Delivering it to the runtime is the approver's job (approver.ts): the decision is published on the
 * decisions channel and the instance holding the agent's connection sends it, now or at its next connect.
 *
 * A Destructive command can only be approved with the agent's name typed back (`confirmAgentName`). Not covered yet:
 * the password re-authentication within 5 minutes that the issue also asks for.
 */
export async function decideApproval(
  services: ApprovalServices,
  input: {
    readonly userId: string;
    readonly approvalId: string;
    readonly decision: HumanDecision;
    readonly confirmAgentName?: string | undefined;
  },
) {
  const { db } = services;
  const approval = await db.approvalRequest.findFirst({
    where: { id: input.approvalId, userId: input.userId },
    include: { agent: { select: { name: true } } },
  });
  // Another user's request is indistinguishable from one that does not exist.
  if (!approval) throw new HttpError(404, "not_found", "No such approval request.");
  const decision = toRuntimeDecision[input.decision];

  if (approval.status !== "pending" || approval.expiresAt <= new Date()) return alreadyDecided(approval, decision);

  const allowed = allowedDecisions(approval.runtimeAnalysis);
  if (!allowed.includes(decision)) {
    throw new HttpError(400, "validation_failed", `The runtime does not offer "${input.decision}" for this command.`, [
      { path: "decision", message: `one of ${allowed.map(fromRuntimeDecision).join(", ")}` },
    ]);
  }
  if (approval.classification === "destructive" && decision !== "deny") {
    if (input.confirmAgentName !== approval.agent.name) {
      throw new HttpError(400, "validation_failed", "Type the agent's name to approve a destructive command.", [
        { path: "confirmAgentName", message: "must be the agent's name exactly" },
      ]);
    }
  }

  const now = new Date();
  const decided = await db.$transaction(async (tx) => {
    const claimed = await tx.approvalRequest.updateMany({
      where: { id: approval.id, status: "pending", expiresAt: { gt: now } },
      data: {
        status: decision === "deny" ? "denied" : "approved",
        decision,
        decidedByUserId: input.userId,
        decidedAt: now,
      },
    });
    if (claimed.count === 0) return false;
    await tx.auditEvent.create({
      data: {
        id: newId("auditEvent"),
        action: "approval.decided",
        actorUserId: input.userId,
        subjectUserId: approval.userId,
        targetType: "approval_request",
        targetId: approval.id,
        metadata: { agentId: approval.agentId, decision, classification: approval.classification, kind: approval.kind },
      },
    });
    return true;
  });
  const row = await db.approvalRequest.findUniqueOrThrow({ where: { id: approval.id } });
  if (!decided) return alreadyDecided({ ...row, agent: approval.agent }, decision);
  await publishApprovalChange(services, row.userId, row.agentId, { type: "decided", approvalId: row.id });
  return toApprovalView({ ...row, agent: approval.agent });
}

function alreadyDecided(
  row: Parameters<typeof toApprovalView>[0] & { readonly decision: string | null; readonly status: string },
  decision: ExecApprovalDecision,
) {
  if (row.decision === decision) return toApprovalView(row);
  throw new HttpError(409, "conflict", `This request is already ${row.status === "pending" ? "expired" : row.status}.`);
}

function allowedDecisions(runtimeAnalysis: unknown): ExecApprovalDecision[] {
  const listed = (runtimeAnalysis as { allowedDecisions?: unknown } | null)?.allowedDecisions;
  if (!Array.isArray(listed)) return ["allow-once", "deny"];
  return listed.filter(
    (entry): entry is ExecApprovalDecision => entry === "allow-once" || entry === "allow-always" || entry === "deny",
  );
}

function fromRuntimeDecision(decision: ExecApprovalDecision): HumanDecision {
  return decision === "allow-once" ? "approve_once" : decision === "allow-always" ? "approve_always" : "deny";
}
