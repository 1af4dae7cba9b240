"use client";

import type { Agent } from "@agentbot/contracts";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@agentbot/ui";
import Link from "next/link";
import { useState } from "react";
import { formatTimestamp } from "../../lib/format-time.ts";
import { fresher } from "./agent-status.ts";
import { StatusBadge } from "./status-badge.tsx";
import { useAgentEvents } from "./use-agent-events.ts";

/** Newest first, as the backend lists them. */
function upsert(agents: readonly Agent[], agent: Agent): Agent[] {
  if (agent.status === "deleted") return agents.filter((existing) => existing.id !== agent.id);
  const index = agents.findIndex((existing) => existing.id === agent.id);
  if (index === -1) return [agent, ...agents];
  const next = [...agents];
  next[index] = fresher(agents[index]!, agent);
  return next;
}

/** The signed-in person's agents; statuses change live (and agents created elsewhere appear) via the events stream. */
export function AgentList({ initialAgents }: { initialAgents: readonly Agent[] }) {
  const [agents, setAgents] = useState<readonly Agent[]>(initialAgents);
  useAgentEvents("/api/v1/agents/events", ({ agent }) => setAgents((current) => upsert(current, agent)));

  if (agents.length === 0) {
    return (
      <p
        className="rounded-xl border border-dashed p-8 text-center text-sm text-muted-foreground"
        data-testid="no-agents"
      >
        No agents yet. Create one to deploy your first OpenClaw runtime.
      </p>
    );
  }
  return (
    <Table data-testid="agent-list">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Model</TableHead>
          <TableHead>Runtime</TableHead>
          <TableHead>Created</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {agents.map((agent) => (
          <TableRow key={agent.id} data-testid="agent-row" data-agent-id={agent.id}>
            <TableHead scope="row">
              <Link
                href={`/agents/${agent.id}`}
                className="font-medium text-foreground underline-offset-4 hover:underline"
              >
                {agent.name}
              </Link>
            </TableHead>
            <TableCell aria-live="polite">
              <StatusBadge status={agent.status} testId="agent-row-status" />
            </TableCell>
            <TableCell className="font-mono text-xs">
              {agent.modelProvider === "platform" ? agent.model : `${agent.modelProvider}: ${agent.model}`}
            </TableCell>
            <TableCell className="font-mono text-xs">{agent.runtimeVersion}</TableCell>
            <TableCell className="text-muted-foreground">{formatTimestamp(agent.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
