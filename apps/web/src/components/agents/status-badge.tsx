import type { AgentStatus } from "@agentbot/contracts";
import { Badge, StatusDot } from "@agentbot/ui";
import { isTransitional, statusLabel, statusTone } from "./agent-status.ts";

const badgeVariant = { ok: "success", warning: "warning", error: "destructive", neutral: "outline" } as const;

/** The status as a word, with a coloured dot (the word carries the meaning; the dot only repeats it). */
export function StatusBadge({ status, testId }: { status: AgentStatus; testId?: string }) {
  const tone = statusTone(status);
  return (
    <Badge variant={badgeVariant[tone]} data-testid={testId} data-status={status}>
      <StatusDot tone={tone} pulse={isTransitional(status)} />
      {statusLabel(status)}
    </Badge>
  );
}
