import type { CommandClass } from "@agentbot/command-classifier";

/** The per-agent choice of who decides its shell commands (Agent.execPolicy). */
export const execPolicies = ["strict", "balanced", "permissive"] as const;
export type ExecPolicy = (typeof execPolicies)[number];

/**
 * Whether a command of `commandClass` may run without a human under `policy`:
 * - strict: never; every command waits for a human.
 * - balanced: Safe runs (recorded as auto-approved); Dangerous and Destructive wait.
 * - permissive: Safe and Dangerous run; Destructive waits.
 * Destructive always waits, whatever the policy; an unknown policy value is treated as strict (fail closed).
 */
export function runsWithoutHuman(policy: string, commandClass: CommandClass): boolean {
  if (commandClass === "destructive") return false;
  if (policy === "balanced") return commandClass === "safe";
  if (policy === "permissive") return true;
  return false;
}

/** Where a run came from, read off the runtime's session key / turn source; `unknown` when it does not say. */
export function approvalSource(sessionKey: string | null, turnSourceChannel: string | null): string {
  if (turnSourceChannel === "webchat" || sessionKey?.includes(":openai-user:")) return "chat";
  if (sessionKey?.includes(":a2a:") || turnSourceChannel === "a2a") return "api";
  if (turnSourceChannel) return "channel";
  return "unknown";
}
