"use client";

import type { Approval, ApprovalStreamEvent } from "@agentbot/contracts";
import { Badge } from "@agentbot/ui";
import { useEffect, useRef, useState } from "react";
import { ApprovalCard } from "./approval-card.tsx";
import { pendingCountEvent, statusLabels } from "./approval-labels.ts";

const recentLimit = 10;

/** Newest first; a request already present is replaced (a reconnect's snapshot, or an answer racing its event). */
function upsert(list: readonly Approval[], approval: Approval): readonly Approval[] {
  return [approval, ...list.filter((existing) => existing.id !== approval.id)].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
}

/**
 * The live queue: what waits for a decision now, kept current by the approvals stream (`/api/v1/approvals/events`:
 * a snapshot of the pending ones on every (re)connection, then `created` and `decided`), so a request shows up
 * without reloading and disappears when anyone (this tab, another tab, the runtime, expiry) decides it. Decided
 * requests stay below for a moment with their outcome. The pending count is announced to the navigation badge.
 */
export function ApprovalQueue({ initialPending }: { initialPending: readonly Approval[] }) {
  const [pending, setPending] = useState<readonly Approval[]>(initialPending);
  const [recent, setRecent] = useState<readonly Approval[]>([]);
  const [live, setLive] = useState(false);
  const announced = useRef<number | null>(null);

  const settle = (approval: Approval) => {
    setPending((current) => current.filter((existing) => existing.id !== approval.id));
    setRecent((current) => upsert(current, approval).slice(0, recentLimit));
  };

  useEffect(() => {
    const source = new EventSource("/api/v1/approvals/events");
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.onmessage = (message: MessageEvent<string>) => {
      let event: ApprovalStreamEvent;
      try {
        event = JSON.parse(message.data) as ApprovalStreamEvent;
      } catch {
        return; // Not ours.
      }
      setLive(true);
      if (event.type === "snapshot") setPending(event.approvals);
      else if (event.approval.status === "pending") setPending((current) => upsert(current, event.approval));
      else settle(event.approval);
    };
    return () => source.close();
  }, []);

  useEffect(() => {
    if (announced.current === pending.length) return;
    announced.current = pending.length;
    window.dispatchEvent(new CustomEvent(pendingCountEvent, { detail: pending.length }));
  }, [pending.length]);

  return (
    <section aria-labelledby="queue-title" className="grid gap-4">
      <div className="flex items-center justify-between gap-2">
        <h2 id="queue-title" className="text-lg font-semibold">
          Waiting for you{" "}
          <span className="text-muted-foreground" data-testid="approval-pending-count">
            ({pending.length})
          </span>
        </h2>
        <span className="text-xs text-muted-foreground" data-testid="approval-live" data-live={live}>
          {live ? "Live" : "Connecting…"}
        </span>
      </div>
      <div role="status" aria-live="polite" className="sr-only">
        {pending.length === 0 ? "Nothing waits for a decision." : `${pending.length} waiting for a decision.`}
      </div>
      {pending.length === 0 ? (
        <p
          className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground"
          data-testid="approval-queue-empty"
        >
          Nothing waits for a decision. When an agent wants to run a command its policy does not allow by itself, it
          appears here at once.
        </p>
      ) : (
        <div className="grid gap-3" data-testid="approval-queue">
          {pending.map((approval) => (
            <ApprovalCard key={approval.id} approval={approval} onDecided={settle} />
          ))}
        </div>
      )}
      {recent.length === 0 ? null : (
        <div className="grid gap-2" data-testid="approval-recent">
          <h3 className="text-sm font-medium text-muted-foreground">Just decided</h3>
          <ul className="grid gap-1 text-sm">
            {recent.map((approval) => (
              <li key={approval.id} className="flex flex-wrap items-center gap-2" data-testid="approval-recent-item">
                <Badge variant={statusLabels[approval.status].tone}>{statusLabels[approval.status].label}</Badge>
                <span className="font-mono break-all">{approval.command}</span>
                <span className="text-muted-foreground">· {approval.agentName}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
