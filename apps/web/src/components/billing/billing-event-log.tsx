import { formatTimestamp } from "../../lib/format-time.ts";
import type { BillingEventView } from "../../lib/billing-views.ts";

/** Every billing transition for one user, newest first: what the providers said and what it did to the agents. */
export function BillingEventLog({ events }: { events: readonly BillingEventView[] }) {
  if (events.length === 0) return <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>;
  return (
    <ol className="grid gap-2 text-sm" data-testid="billing-events">
      {events.map((event) => (
        <li key={event.id} className="grid gap-0.5 border-b border-border/70 pb-2 sm:grid-cols-[11rem_1fr]">
          <time dateTime={event.createdAt} className="text-xs text-muted-foreground tabular-nums">
            {formatTimestamp(event.createdAt)}
          </time>
          <span data-testid="billing-event" data-type={event.type}>
            {event.message}
          </span>
        </li>
      ))}
    </ol>
  );
}
