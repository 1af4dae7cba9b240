import "server-only";
import type { Agent, Approval, ApprovalList, ExecAllowlistEntry } from "@agentbot/contracts";
import { historyQuery } from "../lib/approval-filters.ts";
import type { HistoryFilters } from "../lib/approval-filters.ts";
import { backend } from "./backend.ts";
import { isBackendError } from "./agents-errors.ts";
import type { AgentsLoad } from "./agents.ts";

/**
 * What the approvals pages render, through the typed client for the signed-in person (the backend scopes every call
 * to that user). A backend outage degrades the page (`ok: false`), it does not fail it.
 */

async function load<T>(what: string, call: () => Promise<T>): Promise<AgentsLoad<T>> {
  try {
    return { ok: true, data: await call() };
  } catch (error) {
    if (!isBackendError(error)) throw error;
    if (error.code !== "not_found") console.error(`[web] ${what}: ${error.code} (${error.status}): ${error.message}`);
    return { ok: false, code: error.code };
  }
}

export interface ApprovalsPageData {
  readonly pending: readonly Approval[];
  readonly history: ApprovalList;
  readonly agents: readonly Pick<Agent, "id" | "name">[];
}

export async function loadApprovalsPage(
  userId: string,
  filters: HistoryFilters,
): Promise<AgentsLoad<ApprovalsPageData>> {
  return load("approvals page", async () => {
    const [pending, history, agents] = await Promise.all([
      backend.listApprovals(userId, { status: "pending", limit: 100 }),
      backend.listApprovals(userId, historyQuery(filters)),
      backend.listAgents(userId),
    ]);
    return {
      pending: pending.approvals,
      history,
      agents: agents.agents.map((agent) => ({ id: agent.id, name: agent.name })),
    };
  });
}

/** The navigation badge's first figure; null when the backend cannot say (the badge then stays hidden). */
export async function loadPendingApprovalCount(userId: string): Promise<number | null> {
  const count = await load("pending approvals", () => backend.countPendingApprovals(userId));
  return count.ok ? count.data.pending : null;
}

export function loadExecAllowlist(userId: string, agentId: string): Promise<AgentsLoad<readonly ExecAllowlistEntry[]>> {
  return load("exec allowlist", async () => (await backend.listExecAllowlist(userId, agentId)).entries);
}
