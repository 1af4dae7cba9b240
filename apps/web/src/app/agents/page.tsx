import { Button } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentList } from "../../components/agents/agent-list.tsx";
import { Notice } from "../../components/notice.tsx";
import { PageShell } from "../../components/page-shell.tsx";
import { loadAgents } from "../../server/agents.ts";
import { requireViewer } from "../../server/session.ts";

export const metadata: Metadata = { title: "Agents · Agentbot" };

/** The signed-in person's agents with live statuses, and the way to create one. */
export default async function AgentsPage() {
  const viewer = await requireViewer("/agents");
  const agents = await loadAgents(viewer.user.id);
  return (
    <PageShell
      title="Agents"
      description="Each agent is its own OpenClaw runtime."
      actions={
        <Button asChild>
          <Link href="/agents/new" data-testid="new-agent">
            New agent
          </Link>
        </Button>
      }
    >
      {agents.ok ? (
        <AgentList initialAgents={agents.data} />
      ) : (
        <Notice title="Agents are unavailable right now" testId="agents-unavailable">
          We could not reach the service that runs agents. Your agents keep running; try again in a moment.
        </Notice>
      )}
    </PageShell>
  );
}
