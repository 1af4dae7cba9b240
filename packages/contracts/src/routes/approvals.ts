import { z } from "zod";
import { defineRoute } from "../route.ts";
import { Agent, ExecPolicy, UserAgentParams, UserParams } from "./agents.ts";

export const ApprovalStatus = z.enum(["pending", "approved", "denied", "expired", "auto_approved"]);
export const CommandClass = z.enum(["safe", "dangerous", "destructive"]);

export const Approval = z
  .object({
    id: z.string(),
    agentId: z.string(),
    agentName: z.string(),
    kind: z.enum(["exec"]),
    command: z.string(),
    cwd: z.string().nullable(),
    classification: CommandClass,
    reasons: z.array(z.string()).meta({ description: "which part of the command matched which rule" }),
    runtimeRiskKinds: z.array(z.string()).meta({ description: "the runtime's own reading of the command" }),
    allowedDecisions: z.array(z.enum(["approve_once", "approve_always", "deny"])),
    source: z.enum(["chat", "channel", "api", "unknown"]),
    status: ApprovalStatus,
    decision: z.enum(["allow-once", "allow-always", "deny"]).nullable(),
    decidedByUserId: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable().meta({ description: "when the runtime accepted the decision" }),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: "Approval" });
export type Approval = z.infer<typeof Approval>;

export const ApprovalList = z
  .object({ approvals: z.array(Approval), nextCursor: z.string().nullable() })
  .meta({ id: "ApprovalList" });
export type ApprovalList = z.infer<typeof ApprovalList>;

export const ApprovalDecisionRequest = z
  .object({
    decision: z.enum(["approve_once", "approve_always", "deny"]),
    confirmAgentName: z
      .string()
      .max(200)
      .optional()
      .meta({ description: "required to approve a Destructive command: the agent's name, typed back" }),
  })
  .strict()
  .meta({ id: "ApprovalDecisionRequest" });

export const listApprovalsRoute = defineRoute({
  id: "listApprovals",
  method: "get",
  path: "/api/users/:userId/approvals",
  summary: "A user's approval requests across their agents, newest first (pending ones by default)",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: {
    params: UserParams,
    query: z.object({
      status: z.union([ApprovalStatus, z.literal("any")]).default("pending"),
      agentId: z.string().min(1).max(100).optional(),
      classification: CommandClass.optional(),
      before: z.string().min(1).max(100).optional().meta({ description: "cursor: the nextCursor of the last page" }),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  response: ApprovalList,
});

export const decideApprovalRoute = defineRoute({
  id: "decideApproval",
  method: "post",
  path: "/api/users/:userId/approvals/:approvalId/decision",
  summary: "Approve once, approve always, or deny a pending request (idempotent for the same decision)",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: {
    params: UserParams.extend({ approvalId: z.string().min(1).max(100) }),
    body: ApprovalDecisionRequest,
  },
  response: Approval,
});

export const setExecPolicyRoute = defineRoute({
  id: "setAgentExecPolicy",
  method: "put",
  path: "/api/users/:userId/agents/:agentId/exec-policy",
  summary: "Change who decides the agent's shell commands (takes effect for the next request; audited)",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: { params: UserAgentParams, body: z.object({ execPolicy: ExecPolicy }).strict() },
  response: Agent,
});
