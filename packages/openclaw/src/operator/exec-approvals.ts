import { z } from "zod";

/**
 * The runtime's exec approvals as the operator protocol carries them (event `exec.approval.requested`, method
 * `exec.approval.list`, `exec.approval.resolve`), checked against openclaw@2026.9.6. Only the fields the platform uses
 * are read; everything else the runtime sends is ignored (loose objects), so a newer runtime adding fields does not
 * break the approver.
 */

export const ExecApprovalDecision = z.enum(["allow-once", "allow-always", "deny"]);
export type ExecApprovalDecision = z.infer<typeof ExecApprovalDecision>;

const RequestBody = z.looseObject({
  command: z.string(),
  cwd: z.string().nullish(),
  agentId: z.string().nullish(),
  sessionKey: z.string().nullish(),
  host: z.string().nullish(),
  /** The runtime's own reading of the command (risk kinds such as `shell-wrapper`, `network`). */
  commandAnalysis: z.looseObject({ riskKinds: z.array(z.string()).optional() }).nullish(),
  allowedDecisions: z.array(z.string()).nullish(),
  /** Where the turn came from (`webchat` for the HTTP chat API, a channel id otherwise). */
  turnSourceChannel: z.string().nullish(),
});

/** One pending approval: what the runtime asks a human (or the platform) to decide. */
export const ExecApprovalRequest = z
  .looseObject({
    id: z.string().min(1),
    request: RequestBody,
    createdAtMs: z.number().optional(),
    expiresAtMs: z.number(),
  })
  .transform((value) => ({
    id: value.id,
    command: value.request.command,
    cwd: value.request.cwd ?? null,
    agentId: value.request.agentId ?? null,
    sessionKey: value.request.sessionKey ?? null,
    turnSourceChannel: value.request.turnSourceChannel ?? null,
    riskKinds: value.request.commandAnalysis?.riskKinds ?? [],
    allowedDecisions: (value.request.allowedDecisions ?? ["allow-once", "allow-always", "deny"]).filter(
      (decision): decision is ExecApprovalDecision => ExecApprovalDecision.safeParse(decision).success,
    ),
    createdAtMs: value.createdAtMs ?? null,
    expiresAtMs: value.expiresAtMs,
  }));
export type ExecApprovalRequest = z.output<typeof ExecApprovalRequest>;

/** Event `exec.approval.resolved`: someone (this platform, another operator, the runtime's expiry) decided. */
export const ExecApprovalResolved = z
  .looseObject({ id: z.string().min(1), decision: z.string().nullish(), resolvedBy: z.string().nullish() })
  .transform((value) => ({ id: value.id, decision: value.decision ?? null }));
export type ExecApprovalResolved = z.output<typeof ExecApprovalResolved>;
