import type { Approval, ExecAllowlistEntry, HumanDecision } from "@agentbot/contracts";
import type { Prisma } from "@agentbot/db";
import type { ExecApprovalDecision } from "@agentbot/openclaw";

/** What the view needs from the database: the request and its agent's name. */
export const withAgentName = {
  include: { agent: { select: { name: true } } },
} as const satisfies Prisma.ApprovalRequestDefaultArgs;

export type ApprovalRow = Prisma.ApprovalRequestGetPayload<object> & { readonly agent: { readonly name: string } };

/** The human's words for what the runtime is sent. */
export const humanDecisions = {
  "allow-once": "approve_once",
  "allow-always": "approve_always",
  deny: "deny",
} as const satisfies Record<ExecApprovalDecision, HumanDecision>;

/** The decisions the runtime offers for a request (kept in `runtime_analysis`); without a list, once or deny. */
export function allowedRuntimeDecisions(runtimeAnalysis: unknown): ExecApprovalDecision[] {
  const listed = (runtimeAnalysis as { allowedDecisions?: unknown } | null)?.allowedDecisions;
  if (!Array.isArray(listed)) return ["allow-once", "deny"];
  return listed.filter(
    (entry): entry is ExecApprovalDecision => entry === "allow-once" || entry === "allow-always" || entry === "deny",
  );
}

/** The API's view of one request: no secret is ever part of it (commands are what the agent asked to run). */
export function toApprovalView(row: ApprovalRow): Approval {
  const analysis = (row.runtimeAnalysis ?? {}) as { riskKinds?: unknown };
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
    allowedDecisions: allowedRuntimeDecisions(row.runtimeAnalysis).map((decision) => humanDecisions[decision]),
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

export function toExecAllowlistEntryView(row: Prisma.AgentExecAllowlistEntryGetPayload<object>): ExecAllowlistEntry {
  return {
    id: row.id,
    agentId: row.agentId,
    pattern: row.pattern,
    createdByUserId: row.createdByUserId,
    approvalId: row.approvalRequestId,
    createdAt: row.createdAt.toISOString(),
  };
}
