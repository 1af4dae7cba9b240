import type { CommandClass } from "@agentbot/command-classifier";
import type { ApprovalSource } from "@agentbot/contracts";

/** The per-agent choice of who decides its shell commands (Agent.execPolicy). */
export const execPolicies = ["strict", "balanced", "permissive"] as const;
export type ExecPolicy = (typeof execPolicies)[number];

export type PolicyOutcome = "auto_approve" | "needs_human";

/**
 * What the agent's policy says about a command of `commandClass`:
 * - strict: every command needs a human.
 * - balanced: Safe is approved automatically (recorded as auto-approved); Dangerous and Destructive need a human.
 * - permissive: Safe and Dangerous are approved automatically; Destructive needs a human.
 * Destructive always needs a human, whatever the policy (a command that does not parse is Destructive: the
 * classifier says so). An unknown policy value is treated as strict (fail closed).
 */
export function policyOutcome(policy: string, commandClass: CommandClass): PolicyOutcome {
  if (commandClass === "destructive") return "needs_human";
  if (policy === "balanced") return commandClass === "safe" ? "auto_approve" : "needs_human";
  if (policy === "permissive") return "auto_approve";
  return "needs_human";
}

/** Where a run came from, read off the runtime's session key / turn source; `unknown` when it does not say. */
export function approvalSource(sessionKey: string | null, turnSourceChannel: string | null): ApprovalSource {
  if (turnSourceChannel === "webchat" || sessionKey?.includes(":openai-user:")) return "chat";
  if (sessionKey?.includes(":a2a:") || turnSourceChannel === "a2a") return "api";
  if (turnSourceChannel) return "channel";
  return "unknown";
}
