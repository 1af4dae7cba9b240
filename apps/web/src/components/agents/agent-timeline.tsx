import type { AgentEvent } from "@agentbot/contracts";
import { formatClock, formatStepDuration } from "./agent-status.ts";
import { StatusBadge } from "./status-badge.tsx";

/**
 * The agent's timeline, oldest first: each provisioning step, status change and health transition, with how long the
 * step took. New steps are appended live by the page; `role="log"` lets screen readers announce them politely.
 */
export function AgentTimeline({ events }: { events: readonly AgentEvent[] }) {
  if (events.length === 0) {
    return <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>;
  }
  return (
    <ol className="grid gap-0" role="log" aria-live="polite" aria-label="Timeline" data-testid="agent-timeline">
      {events.map((event) => (
        <li
          key={event.id}
          className="grid grid-cols-[5rem_1fr_auto] items-start gap-3 border-b border-border/60 py-2 text-sm last:border-0"
          data-testid="timeline-step"
          data-type={event.type}
        >
          <time dateTime={event.createdAt} className="font-mono text-xs text-muted-foreground">
            {formatClock(event.createdAt)}
          </time>
          <div className="grid gap-1">
            <span>{event.message}</span>
            <span className="font-mono text-xs text-muted-foreground">{event.type}</span>
          </div>
          <div className="flex flex-col items-end gap-1">
            <StatusBadge status={event.status} />
            {event.durationMs === null ? null : (
              <span className="text-xs text-muted-foreground" data-testid="timeline-duration">
                took {formatStepDuration(event.durationMs)}
              </span>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
