import type { Approval } from "@agentbot/contracts";
import type { Prisma } from "@agentbot/db";

export type ApprovalRow = Prisma.ApprovalRequestGetPayload<object> & { readonly agent: { readonly name: string } };

const humanDecisions = { "allow-once": "approve_once", "allow-always": "approve_always", deny: "deny" } as const;

/** The API's view of one request: no secret is ever part of it (commands are what the agent asked to run). */
export function toApprovalView(row: ApprovalRow): Approval {
  const analysis = (row.runtimeAnalysis ?? {}) as { riskKinds?: unknown; allowedDecisions?: unknown };
  const allowed: unknown[] = Array.isArray(analysis.allowedDecisions)
    ? analysis.allowedDecisions
    : ["allow-once", "deny"];
  return {
    id: row.id,
    agentId: row.agentId,
    agentName: row.agent.name,
    kind: "exec",
    command: row.command,
    cwd: row.cwd,
    classification: row.classification as Approval["classification"],
    reasons: Array.isArray(row.reasons) ? row.reasons.filter((reason) => typeof reason === "string") : [],
    runtimeRiskKinds: Array.isArray(analysis.riskKinds)
      ? analysis.riskKinds.filter((kind): kind is string => typeof kind === "string")
      : [],
    allowedDecisions: allowed.flatMap((decision) =>
      decision === "allow-once" || decision === "allow-always" || decision === "deny" ? [humanDecisions[decision]] : [],
    ),
    source: row.source as Approval["source"],
    status: row.status as Approval["status"],
    decision: row.decision as Approval["decision"],
    decidedByUserId: row.decidedByUserId,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    deliveredAt: row.runtimeResolvedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}
