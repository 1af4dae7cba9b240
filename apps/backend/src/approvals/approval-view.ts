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

/**
 * The decisions a person is offered for a request: what the runtime offers (kept in `runtime_analysis`; without a
 * list, once or deny), with "always" offered whenever it can run the command once and the command is not
 * Destructive. "Always" lives in the platform's allowlist and reaches the runtime as `allow-once`, so it does not
 * depend on the runtime offering `allow-always`; a Destructive command is never allowlisted.
 */
export function offeredDecisions(runtimeAnalysis: unknown, classification: string): ExecApprovalDecision[] {
  const listed = (runtimeAnalysis as { allowedDecisions?: unknown } | null)?.allowedDecisions;
  const runtime = Array.isArray(listed) ? listed : ["allow-once", "deny"];
  const once = runtime.includes("allow-once");
  return [
    ...(once ? (["allow-once"] as const) : []),
    ...(once && classification !== "destructive" ? (["allow-always"] as const) : []),
    ...(runtime.includes("deny") ? (["deny"] as const) : []),
  ];
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
    allowedDecisions: offeredDecisions(row.runtimeAnalysis, row.classification).map(
      (decision) => humanDecisions[decision],
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
