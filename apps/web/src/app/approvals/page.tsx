import type { Metadata } from "next";
import { ApprovalHistory } from "../../components/approvals/approval-history.tsx";
import { ApprovalQueue } from "../../components/approvals/approval-queue.tsx";
import { Notice } from "../../components/notice.tsx";
import { PageShell } from "../../components/page-shell.tsx";
import { parseHistoryFilters } from "../../lib/approval-filters.ts";
import { loadApprovalsPage } from "../../server/approvals.ts";
import { requireViewer } from "../../server/session.ts";

export const metadata: Metadata = { title: "Approvals · Agentbot" };

/**
 * What the person's agents want to do and may not do alone: the live queue (approve once, approve always, deny;
 * Destructive commands need the password and the agent's name), and the history of every request with filters.
 */
export default async function ApprovalsPage({ searchParams }: PageProps<"/approvals">) {
  const viewer = await requireViewer("/approvals");
  const filters = parseHistoryFilters(await searchParams);
  const page = await loadApprovalsPage(viewer.user.id, filters);
  return (
    <PageShell
      title="Approvals"
      description="Commands your agents asked to run. The runtime waits for your decision and denies on its own when it expires."
    >
      {page.ok ? (
        <div className="grid gap-10">
          <ApprovalQueue initialPending={page.data.pending} />
          <ApprovalHistory history={page.data.history} filters={filters} agents={page.data.agents} />
        </div>
      ) : (
        <Notice title="Approvals are unavailable right now" testId="approvals-unavailable">
          We could not reach the service that runs agents. Nothing is approved while it is away: the runtimes deny what
          waits when it expires. Try again in a moment.
        </Notice>
      )}
    </PageShell>
  );
}
