"use client";

import type { LogLineSchema as LogLine } from "@agentbot/contracts";
import { Button } from "@agentbot/ui";
import { useEffect, useRef, useState } from "react";
import { formatClock } from "./agent-status.ts";

/** Lines kept in the page while following; older ones scroll away. */
const maxLines = 1_000;

/**
 * Recent log lines (secrets already redacted by the backend), and a Follow toggle that streams new lines through
 * `/api/v1/agents/{id}/logs?follow=1` while it is on.
 */
export function AgentLogs({
  agentId,
  initialLines,
  unavailable,
}: {
  agentId: string;
  initialLines: readonly LogLine[];
  unavailable: boolean;
}) {
  const [lines, setLines] = useState<readonly LogLine[]>(initialLines);
  const [following, setFollowing] = useState(false);
  const [connected, setConnected] = useState(false);
  const [note, setNote] = useState<string | undefined>(undefined);
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!following) return;
    const source = new EventSource(`/api/v1/agents/${encodeURIComponent(agentId)}/logs?follow=1`);
    source.onopen = () => {
      setConnected(true);
      setNote(undefined);
    };
    source.onerror = () => {
      setConnected(false);
      // A refusal (the agent has no runtime right now) closes the source for good; a dropped stream reconnects.
      if (source.readyState === EventSource.CLOSED) {
        setFollowing(false);
        setNote("Following stopped: the agent has no runtime right now.");
      }
    };
    source.onmessage = (message: MessageEvent<string>) => {
      try {
        const line = JSON.parse(message.data) as LogLine;
        setLines((current) => [...current, line].slice(-maxLines));
      } catch {
        // Not one of ours.
      }
    };
    return () => {
      source.close();
      setConnected(false);
    };
  }, [agentId, following]);

  useEffect(() => {
    if (following) bottom.current?.scrollIntoView({ block: "nearest" });
  }, [lines, following]);

  return (
    <div className="grid gap-3">
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground" aria-live="polite" data-testid="logs-state">
          {note ?? (following ? (connected ? "Following new lines." : "Connecting…") : `${lines.length} recent lines.`)}
        </p>
        <Button
          variant={following ? "default" : "outline"}
          size="sm"
          aria-pressed={following}
          onClick={() => {
            setNote(undefined);
            setFollowing((value) => !value);
          }}
          data-testid="logs-follow"
        >
          {following ? "Stop following" : "Follow"}
        </Button>
      </div>
      {unavailable ? (
        <p className="text-sm text-muted-foreground" data-testid="logs-unavailable">
          Recent lines could not be loaded right now; Follow still shows new ones.
        </p>
      ) : null}
      <div
        className="max-h-96 overflow-auto rounded-lg border bg-muted/40 p-3 font-mono text-xs leading-relaxed"
        tabIndex={0}
        role="region"
        aria-label="Log lines"
        data-testid="agent-logs"
      >
        {lines.length === 0 ? (
          <p className="text-muted-foreground">No log lines yet.</p>
        ) : (
          lines.map((line, index) => (
            <div
              key={`${line.at}-${index}`}
              className={line.stream === "stderr" ? "text-destructive" : undefined}
              data-testid="log-line"
            >
              <span className="text-muted-foreground">{formatClock(line.at)} </span>
              {line.stream === "engine" ? <span className="text-primary">[engine] </span> : null}
              <span className="whitespace-pre-wrap break-all">{line.text}</span>
            </div>
          ))
        )}
        <div ref={bottom} />
      </div>
    </div>
  );
}
