import type { ApprovalSource, ApprovalStatus, CommandClass, ExecPolicy } from "@agentbot/contracts";

/** Words and badge tones for approvals, shared by the queue, the history and the agent page. */

export const classLabels: Record<CommandClass, { label: string; tone: "success" | "warning" | "destructive" }> = {
  safe: { label: "Safe", tone: "success" },
  dangerous: { label: "Dangerous", tone: "warning" },
  destructive: { label: "Destructive", tone: "destructive" },
};

export const statusLabels: Record<
  ApprovalStatus,
  { label: string; tone: "secondary" | "success" | "destructive" | "outline" }
> = {
  pending: { label: "Waiting", tone: "secondary" },
  approved: { label: "Approved", tone: "success" },
  auto_approved: { label: "Auto-approved", tone: "outline" },
  denied: { label: "Denied", tone: "destructive" },
  expired: { label: "Expired (denied)", tone: "outline" },
};

export const sourceLabels: Record<ApprovalSource, string> = {
  chat: "chat",
  channel: "a channel",
  api: "the API",
  unknown: "an unknown source",
};

export const execPolicyLabels: Record<ExecPolicy, { label: string; description: string }> = {
  strict: { label: "Strict", description: "You approve every command." },
  balanced: {
    label: "Balanced",
    description: "Safe commands run on their own (recorded); Dangerous and Destructive wait for you.",
  },
  permissive: { label: "Permissive", description: "Safe and Dangerous commands run; Destructive waits for you." },
};

/** Same-window notice of the pending count, so the navigation badge follows the queue without waiting for a poll. */
export const pendingCountEvent = "agentbot:pending-approvals";
