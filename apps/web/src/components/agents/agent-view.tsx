"use client";

import type {
  AgentDetail,
  AgentEvent,
  AgentStreamEvent,
  ExecAllowlistEntry,
  LogLineSchema as LogLine,
} from "@agentbot/contracts";
import { Alert, AlertDescription, AlertTitle, Button, Card, CardContent, CardHeader, CardTitle } from "@agentbot/ui";
import { useState } from "react";
import { formatTimestamp } from "../../lib/format-time.ts";
import { AgentExecSettings } from "../approvals/agent-exec-settings.tsx";
import { AgentActions } from "./agent-actions.tsx";
import { AgentChat } from "./agent-chat.tsx";
import { AgentLogs } from "./agent-logs.tsx";
import { failureSentence, fresher, isReachable } from "./agent-status.ts";
import { AgentTimeline } from "./agent-timeline.tsx";
import { StatusBadge } from "./status-badge.tsx";
import { useAgentEvents } from "./use-agent-events.ts";

/** Adds a timeline event once (a reconnecting stream, or an action's answer racing its event, may repeat one). */
function withEvent(events: readonly AgentEvent[], event: AgentEvent | null): readonly AgentEvent[] {
  if (event === null || events.some((existing) => existing.id === event.id)) return events;
  return [...events, event].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * One agent, live: its status (announced politely when it changes), what went wrong if it failed, the actions, the
 * timeline (provisioning steps appear as they happen), logs, chat and the Control UI link.
 */
export function AgentView({
  initial,
  initialLogs,
  logsUnavailable,
  allowlist,
}: {
  initial: AgentDetail;
  initialLogs: readonly LogLine[];
  logsUnavailable: boolean;
  /** The commands it runs without asking; null when they could not be read. */
  allowlist: readonly ExecAllowlistEntry[] | null;
}) {
  const [agent, setAgent] = useState(initial.agent);
  const [events, setEvents] = useState<readonly AgentEvent[]>(initial.events);

  useAgentEvents(`/api/v1/agents/${encodeURIComponent(initial.agent.id)}/events`, (update: AgentStreamEvent) => {
    setAgent((current) => fresher(current, update.agent));
    setEvents((current) => withEvent(current, update.event));
  });

  const reachable = isReachable(agent.status);
  return (
    <div className="grid gap-8">
      <section aria-labelledby="agent-status-title" className="grid gap-4">
        <h2 id="agent-status-title" className="sr-only">
          Status
        </h2>
        <div className="flex flex-wrap items-center justify-between gap-4">
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <div role="status" aria-live="polite" className="flex items-center gap-2">
              <span className="text-muted-foreground">Status</span>
              <StatusBadge status={agent.status} testId="agent-status" />
            </div>
            <span className="text-muted-foreground">
              {agent.modelProvider} · <span className="font-mono">{agent.model}</span> · runtime{" "}
              <span className="font-mono" data-testid="agent-runtime-version">
                {agent.runtimeVersion}
              </span>
            </span>
            {agent.runningSince === null ? null : (
              <span className="text-muted-foreground">running since {formatTimestamp(agent.runningSince)}</span>
            )}
          </div>
          {reachable ? (
            <Button asChild variant="outline" size="sm">
              <a
                href={`/agents/${encodeURIComponent(agent.id)}/control-ui`}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="open-control-ui"
              >
                Open Control UI<span className="sr-only"> (opens in a new tab)</span>
              </a>
            </Button>
          ) : null}
        </div>
        {agent.status === "failed" ? (
          <Alert variant="destructive" data-testid="agent-failure">
            <AlertTitle>This agent failed</AlertTitle>
            <AlertDescription>
              <p data-testid="agent-failure-reason">{failureSentence(agent.failureReason)}</p>
              {agent.failureMessage === null ? null : <p className="mt-1 font-mono text-xs">{agent.failureMessage}</p>}
            </AlertDescription>
          </Alert>
        ) : null}
        <AgentActions
          agent={agent}
          onAccepted={(accepted) => setAgent((current) => fresher(current, accepted.agent))}
        />
      </section>

      <div className="grid gap-8 lg:grid-cols-2">
        <Card aria-labelledby="timeline-title">
          <CardHeader>
            <CardTitle as="h2" id="timeline-title">
              Timeline
            </CardTitle>
          </CardHeader>
          <CardContent>
            <AgentTimeline events={events} />
          </CardContent>
        </Card>
        <Card aria-labelledby="chat-title">
          <CardHeader>
            <CardTitle as="h2" id="chat-title">
              Chat
            </CardTitle>
          </CardHeader>
          <CardContent>
            <AgentChat agentId={agent.id} enabled={reachable} />
          </CardContent>
        </Card>
      </div>

      <Card aria-labelledby="commands-title">
        <CardHeader>
          <CardTitle as="h2" id="commands-title">
            Commands
          </CardTitle>
        </CardHeader>
        <CardContent>
          <AgentExecSettings agent={agent} initialEntries={allowlist ?? []} unavailable={allowlist === null} />
        </CardContent>
      </Card>

      <Card aria-labelledby="logs-title">
        <CardHeader>
          <CardTitle as="h2" id="logs-title">
            Logs
          </CardTitle>
        </CardHeader>
        <CardContent>
          <AgentLogs agentId={agent.id} initialLines={initialLogs} unavailable={logsUnavailable} />
        </CardContent>
      </Card>
    </div>
  );
}
