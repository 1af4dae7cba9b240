import type { AgentFailureReason, AgentStatus } from "@agentbot/contracts";

/** How each status reads and looks; shared by the list, the detail page and the live updates. */

/**
 * The fresher of two copies of an agent. An action's answer and the live stream race each other, so a copy older than
 * the one shown (by `updatedAt`) must not replace it.
 */
export function fresher<T extends { readonly updatedAt: string }>(current: T, next: T): T {
  return Date.parse(next.updatedAt) >= Date.parse(current.updatedAt) ? next : current;
}

export type StatusTone = "ok" | "warning" | "error" | "neutral";

const tones: Record<AgentStatus, StatusTone> = {
  queued: "neutral",
  provisioning: "neutral",
  running: "ok",
  degraded: "warning",
  starting: "neutral",
  stopping: "neutral",
  stopped: "neutral",
  restarting: "neutral",
  redeploying: "neutral",
  deleting: "neutral",
  deleted: "neutral",
  failed: "error",
};

/** Statuses on the way to another one (the dot pulses while they last). */
const transitional = new Set<AgentStatus>([
  "queued",
  "provisioning",
  "starting",
  "stopping",
  "restarting",
  "redeploying",
  "deleting",
]);

export function statusTone(status: AgentStatus): StatusTone {
  return tones[status];
}

export function isTransitional(status: AgentStatus): boolean {
  return transitional.has(status);
}

/** "Provisioning", "Running"…: the status as a word for people. */
export function statusLabel(status: AgentStatus): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

const failureSentences: Record<AgentFailureReason, string> = {
  engine_error: "The hosting engine reported an error while setting up or changing this agent. Try again, or redeploy.",
  health_timeout: "The agent's runtime started but did not report itself healthy in time.",
  invalid_config:
    "The runtime rejected this agent's configuration. Check the model, the provider API key and the channel settings.",
  crash_loop: "The agent kept crashing after several automatic restarts, so it was stopped.",
  deadline_exceeded: "The operation took too long and was given up.",
  slot_timeout: "The platform was too busy to start this deployment in time. Try again in a few minutes.",
  internal_error: "Something went wrong on our side. Try again; if it keeps happening, contact support.",
};

/** A failure reason as a plain sentence. */
export function failureSentence(reason: AgentFailureReason | null): string {
  return reason === null ? "The agent failed." : failureSentences[reason];
}

/** Which lifecycle actions make sense in a status (the backend still has the final word: 409 while busy). */
export function allowedActions(status: AgentStatus, busy: boolean) {
  const idle = !busy && status !== "deleting" && status !== "deleted";
  return {
    start: idle && (status === "stopped" || status === "failed"),
    stop: idle && (status === "running" || status === "degraded"),
    restart: idle && (status === "running" || status === "degraded" || status === "failed"),
    redeploy: idle && (status === "running" || status === "degraded" || status === "stopped" || status === "failed"),
    delete: status !== "deleting" && status !== "deleted",
  };
}

/** Whether the runtime answers: chat and the Control UI need it. */
export function isReachable(status: AgentStatus): boolean {
  return status === "running" || status === "degraded";
}

/** A step's duration: "850 ms", "12.3 s", "2m 5s". */
export function formatStepDuration(ms: number | null): string {
  if (ms === null) return "";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/** "14:05:09": the time of a timeline step or log line (UTC, same on server and client). */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(11, 19);
}
