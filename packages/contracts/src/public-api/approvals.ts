import { z } from "zod";
import { ExecPolicy } from "../routes/agents.ts";
import {
  Approval,
  ApprovalDecisionInput,
  ApprovalList,
  ApprovalListQuery,
  ApprovalStreamEvent,
  ExecAllowlist,
  ExecAllowlistEntryRemoved,
  PendingApprovalCount,
} from "../routes/approvals.ts";

/**
 * The approvals part of the public API (`/api/v1/approvals…`, served by apps/web). Reads need `approvals:read`,
 * decisions `approvals:write`. Every route acts for the credential's user: another user's request answers 404
 * `not_found`. The shapes are the backend's own (routes/approvals.ts).
 *
 * An API key cannot re-authenticate, so approving a Destructive command with one always answers 403
 * `reauthentication_required` (denying it works): a person approves those in the dashboard, with their password and
 * the agent's name typed back.
 */

export const PublicApproval = Approval;
export type PublicApproval = z.infer<typeof PublicApproval>;

/** `GET /api/v1/approvals`: pending requests by default; `status=any` and the other filters for history. */
export const PublicApprovalListQuery = ApprovalListQuery;
export const PublicApprovalList = ApprovalList;
export type PublicApprovalList = z.infer<typeof PublicApprovalList>;

/** `GET /api/v1/approvals/pending-count`: how many wait for a decision. */
export const PublicPendingApprovalCount = PendingApprovalCount;
export type PublicPendingApprovalCount = z.infer<typeof PublicPendingApprovalCount>;

/** `POST /api/v1/approvals/{id}/decision` body. */
export const DecideApprovalRequest = ApprovalDecisionInput.meta({ id: "DecideApproval" });
export type DecideApprovalRequest = z.input<typeof DecideApprovalRequest>;

/** `GET /api/v1/approvals/events`: a stream of these (a snapshot of the pending ones, then created and decided). */
export const PublicApprovalEvent = ApprovalStreamEvent;
export type PublicApprovalEvent = z.infer<typeof PublicApprovalEvent>;

/** `GET /api/v1/agents/{id}/exec-allowlist`: the commands the agent may run without asking (approve always). */
export const PublicExecAllowlist = ExecAllowlist;
export type PublicExecAllowlist = z.infer<typeof PublicExecAllowlist>;

/** `DELETE /api/v1/agents/{id}/exec-allowlist/{entryId}`: the entry removed, and what the runtime's allowlist did. */
export const PublicExecAllowlistEntryRemoved = ExecAllowlistEntryRemoved;
export type PublicExecAllowlistEntryRemoved = z.infer<typeof PublicExecAllowlistEntryRemoved>;

/** `PUT /api/v1/agents/{id}/exec-policy` body: who decides the agent's shell commands from the next request on. */
export const SetExecPolicyRequest = z.object({ execPolicy: ExecPolicy }).strict().meta({ id: "SetExecPolicy" });
export type SetExecPolicyRequest = z.infer<typeof SetExecPolicyRequest>;
