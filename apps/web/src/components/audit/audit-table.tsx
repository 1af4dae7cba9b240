import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@agentbot/ui";
import type { AuditEventView } from "../../lib/account-views.ts";
import { describeDevice } from "../../lib/describe-device.ts";
import { formatTimestamp } from "../../lib/format-time.ts";

function describeMetadata(metadata: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(metadata).filter(([, value]) => value !== undefined && value !== null);
  return entries
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

/** Audit events, newest first. `showActor` adds the actor column (the admin view). */
export function AuditTable({ events, showActor }: { events: readonly AuditEventView[]; showActor: boolean }) {
  if (events.length === 0) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="audit-empty">
        No events match.
      </p>
    );
  }
  return (
    <Table data-testid="audit-events">
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          <TableHead>Action</TableHead>
          {showActor ? <TableHead>Actor</TableHead> : null}
          <TableHead>Details</TableHead>
          <TableHead>IP address</TableHead>
          <TableHead>Device</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((event) => (
          <TableRow key={event.id} data-testid="audit-row" data-action={event.action}>
            <TableCell className="whitespace-nowrap">{formatTimestamp(event.createdAt)}</TableCell>
            <TableCell className="font-mono text-xs">{event.action}</TableCell>
            {showActor ? <TableCell>{event.actorEmail ?? "—"}</TableCell> : null}
            <TableCell className="max-w-80 text-xs break-words whitespace-normal text-muted-foreground">
              {[
                event.targetType && event.targetId ? `${event.targetType} ${event.targetId}` : "",
                describeMetadata(event.metadata),
              ]
                .filter(Boolean)
                .join(" · ") || "—"}
            </TableCell>
            <TableCell className="font-mono text-xs">{event.ip ?? "—"}</TableCell>
            <TableCell className="text-xs" title={event.userAgent ?? undefined}>
              {event.userAgent ? describeDevice(event.userAgent) : "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
