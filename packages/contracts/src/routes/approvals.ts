import { z } from "zod";
import { defineRoute } from "../route.ts";
import { Agent, ExecPolicy, UserAgentParams, UserParams } from "./agents.ts";

// Approvals: what an agent wants to do that its policy or a human must allow (exec today; wallet sends and workflow
// steps later). Every route is scoped to the acting user in its path: another user's request or agent answers 404.
// State machine: pending → approved | denied | expired | auto_approved (ARCHITECTURE.md, "Approvals").

export const ApprovalStatus = z
  .enum(["pending", "approved", "denied", "expired", "auto_approved"])
  .meta({ id: "ApprovalStatus" });
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const CommandClass = z.enum(["safe", "dangerous", "destructive"]).meta({ id: "CommandClass" });
export type CommandClass = z.infer<typeof CommandClass>;

export const ApprovalSource = z.enum(["chat", "channel", "api", "unknown"]).meta({
  id: "ApprovalSource",
  description: "where the run that asked came from, as far as the runtime tells (`unknown` when it does not)",
});
export type ApprovalSource = z.infer<typeof ApprovalSource>;

/** What a human can answer. */
export const HumanDecision = z.enum(["approve_once", "approve_always", "deny"]).meta({ id: "HumanDecision" });
export type HumanDecision = z.infer<typeof HumanDecision>;

/** What was (or is to be) sent to the runtime. */
export const RuntimeDecision = z.enum(["allow-once", "allow-always", "deny"]).meta({ id: "RuntimeDecision" });
export type RuntimeDecision = z.infer<typeof RuntimeDecision>;

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
    allowedDecisions: z.array(HumanDecision),
    source: ApprovalSource,
    status: ApprovalStatus,
    decision: RuntimeDecision.nullable(),
    decidedByUserId: z
      .string()
      .nullable()
      .meta({ description: "null for auto-approved, expired, and decided in the runtime (another operator)" }),
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

/** Filters of the list (history) and its page; shared by the backend route and the public API. */
export const ApprovalListQuery = z.object({
  status: z.union([ApprovalStatus, z.literal("any")]).default("pending"),
  agentId: z.string().min(1).max(100).optional(),
  classification: CommandClass.optional(),
  from: z.iso.datetime().optional().meta({ description: "created at or after this time" }),
  to: z.iso.datetime().optional().meta({ description: "created before this time" }),
  before: z.string().min(1).max(100).optional().meta({ description: "cursor: the nextCursor of the last page" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ApprovalListQuery = z.input<typeof ApprovalListQuery>;

/** The decision as a person (dashboard) or a script (public API) sends it. */
export const ApprovalDecisionInput = z
  .object({
    decision: HumanDecision,
    confirmAgentName: z
      .string()
      .max(200)
      .optional()
      .meta({ description: "required to approve a Destructive command: the agent's name, typed back" }),
  })
  .strict();
export type ApprovalDecisionInput = z.infer<typeof ApprovalDecisionInput>;

/**
 * Who decides, as the web app authenticated them. `api_key`: a script, which can never re-authenticate, so it can
 * never approve a Destructive command. `ip` and `userAgent` go into the audit log.
 */
export const ApprovalActor = z
  .object({
    via: z.enum(["session", "api_key"]),
    apiKeyId: z.string().min(1).max(100).optional(),
    ip: z.string().max(100).nullable().optional(),
    userAgent: z.string().max(500).nullable().optional(),
  })
  .strict()
  .meta({ id: "ApprovalActor" });
export type ApprovalActor = z.infer<typeof ApprovalActor>;

export const ApprovalDecisionRequest = ApprovalDecisionInput.extend({ actor: ApprovalActor })
  .strict()
  .meta({ id: "ApprovalDecisionRequest" });
export type ApprovalDecisionRequest = z.infer<typeof ApprovalDecisionRequest>;

export const PendingApprovalCount = z
  .object({ pending: z.number().int().nonnegative() })
  .meta({ id: "PendingApprovalCount" });
export type PendingApprovalCount = z.infer<typeof PendingApprovalCount>;

/**
 * Events of the live approvals stream: first one `snapshot` with every pending request, then `created` (a new
 * request, pending or auto-approved) and `decided` (approved, denied or expired: by a human, the runtime or expiry).
 */
export const ApprovalStreamEvent = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("snapshot"), approvals: z.array(Approval) }),
    z.object({ type: z.literal("created"), approval: Approval }),
    z.object({ type: z.literal("decided"), approval: Approval }),
  ])
  .meta({ id: "ApprovalStreamEvent" });
export type ApprovalStreamEvent = z.infer<typeof ApprovalStreamEvent>;

export const ExecAllowlistEntry = z
  .object({
    id: z.string(),
    agentId: z.string(),
    pattern: z.string().meta({ description: "the command exactly as it was approved always" }),
    createdByUserId: z.string().nullable().meta({ description: "null when it was decided in the runtime" }),
    approvalId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ExecAllowlistEntry" });
export type ExecAllowlistEntry = z.infer<typeof ExecAllowlistEntry>;

export const ExecAllowlist = z.object({ entries: z.array(ExecAllowlistEntry) }).meta({ id: "ExecAllowlist" });
export type ExecAllowlist = z.infer<typeof ExecAllowlist>;

export const ExecAllowlistEntryRemoved = z
  .object({
    entry: ExecAllowlistEntry,
    runtime: z.enum(["removed", "not_found", "unavailable"]).meta({
      description:
        "The platform keeps the only allowlist (an approve always reaches the runtime as allow-once), so the " +
        "command asks again at once. This says what the check of the runtime's own allowlist found: `removed` (a " +
        "stray allow-always entry, e.g. from another operator, was taken off), `not_found` (none), `unavailable` " +
        "(the runtime is not connected now; it is checked again when it reconnects)",
    }),
  })
  .meta({ id: "ExecAllowlistEntryRemoved" });
export type ExecAllowlistEntryRemoved = z.infer<typeof ExecAllowlistEntryRemoved>;

export const ApprovalParams = UserParams.extend({ approvalId: z.string().min(1).max(100) });

export const listApprovalsRoute = defineRoute({
  id: "listApprovals",
  method: "get",
  path: "/api/users/:userId/approvals",
  summary:
    "A user's approval requests across their agents, newest first (pending ones by default; filters for history)",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: { params: UserParams, query: ApprovalListQuery },
  response: ApprovalList,
});

export const countPendingApprovalsRoute = defineRoute({
  id: "countPendingApprovals",
  method: "get",
  path: "/api/users/:userId/approvals/pending-count",
  summary: "How many requests wait for the user's decision (the navigation badge)",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: { params: UserParams },
  response: PendingApprovalCount,
});

export const approvalsStreamRoute = defineRoute({
  id: "streamApprovals",
  method: "get",
  path: "/api/users/:userId/approvals-stream",
  summary: "Live approvals of a user (server-sent events): a snapshot of the pending ones, then created and decided",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  streaming: "sse",
  request: { params: UserParams },
  response: ApprovalStreamEvent,
});

export const decideApprovalRoute = defineRoute({
  id: "decideApproval",
  method: "post",
  path: "/api/users/:userId/approvals/:approvalId/decision",
  summary: "Approve once, approve always, or deny a pending request (idempotent for the same decision)",
  description:
    "Repeating the decision already recorded answers it again; a different decision after the fact is 409. " +
    "Approving a Destructive command needs `confirmAgentName` (400 naming the field otherwise) and a password " +
    "re-authentication within the last 5 minutes: 403 `reauthentication_required` otherwise. An API key " +
    "(`actor.via: api_key`) cannot re-authenticate, so a Destructive command can only be denied through the public " +
    "API; approve it in the dashboard.",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: { params: ApprovalParams, body: ApprovalDecisionRequest },
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

export const listExecAllowlistRoute = defineRoute({
  id: "listExecAllowlist",
  method: "get",
  path: "/api/users/:userId/agents/:agentId/exec-allowlist",
  summary: "The commands the agent may run without asking (added by approve always), oldest first",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: { params: UserAgentParams },
  response: ExecAllowlist,
});

export const removeExecAllowlistEntryRoute = defineRoute({
  id: "removeExecAllowlistEntry",
  method: "delete",
  path: "/api/users/:userId/agents/:agentId/exec-allowlist/:entryId",
  summary: "Remove a command from the agent's allowlist (here and in the runtime); it asks again next time (audited)",
  tags: ["approvals"],
  auth: "service",
  successStatus: 200,
  request: { params: UserAgentParams.extend({ entryId: z.string().min(1).max(100) }) },
  response: ExecAllowlistEntryRemoved,
});
