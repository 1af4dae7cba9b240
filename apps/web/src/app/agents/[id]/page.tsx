import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentView } from "../../../components/agents/agent-view.tsx";
import { Notice } from "../../../components/notice.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { loadAgentPage } from "../../../server/agents.ts";
import { requireViewer } from "../../../server/session.ts";

export const metadata: Metadata = { title: "Agent · Agentbot" };

const back = (
  <Link href="/agents" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
    All agents
  </Link>
);

/** One agent: live status and timeline, actions, logs, chat, Control UI. Another user's agent is a 404. */
export default async function AgentPage({ params, searchParams }: PageProps<"/agents/[id]">) {
  const { id } = await params;
  const viewer = await requireViewer(`/agents/${id}`);
  const [page, query] = await Promise.all([loadAgentPage(viewer.user.id, id), searchParams]);
  if (!page.ok && page.code === "not_found") notFound();
  if (!page.ok) {
    return (
      <PageShell title="Agent" actions={back}>
        <Notice title="This agent is unavailable right now" testId="agent-unavailable">
          We could not reach the service that runs agents. Try again in a moment.
        </Notice>
      </PageShell>
    );
  }
  const { detail, logs, allowlist } = page.data;
  return (
    <PageShell title={detail.agent.name} description={`Created ${detail.agent.createdAt.slice(0, 10)}`} actions={back}>
      {query["notice"] === "control-ui-unavailable" ? (
        <Notice title="The Control UI could not be opened" className="mb-6" testId="control-ui-unavailable">
          It is available while the agent is running. Try again once it is.
        </Notice>
      ) : null}
      <AgentView initial={detail} initialLogs={logs ?? []} logsUnavailable={logs === null} allowlist={allowlist} />
    </PageShell>
  );
}
