import "server-only";
import type { Agent, AgentDetail, ExecAllowlistEntry, LogLineSchema as LogLine } from "@agentbot/contracts";
import { backend } from "./backend.ts";
import { isBackendError } from "./agents-errors.ts";

/**
 * What the agents pages render, fetched through the typed client for the signed-in person (the backend scopes every
 * call to that user). Reads use the fast-failing page client: a backend outage degrades the page, it does not hang it.
 */

export type AgentsLoad<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly code: string };

async function load<T>(what: string, call: () => Promise<T>): Promise<AgentsLoad<T>> {
  try {
    return { ok: true, data: await call() };
  } catch (error) {
    if (!isBackendError(error)) throw error;
    if (error.code !== "not_found" && error.code !== "conflict")
      console.error(`[web] ${what}: ${error.code} (${error.status}): ${error.message}`);
    return { ok: false, code: error.code };
  }
}

export function loadAgents(userId: string): Promise<AgentsLoad<readonly Agent[]>> {
  return load("list agents", async () => (await backend.listAgents(userId)).agents);
}

export interface AgentPageData {
  readonly detail: AgentDetail;
  /**
   * Recent log lines (none while the agent has no runtime, e.g. still queued), or null when they could not be read
   * (the rest of the page still renders).
   */
  readonly logs: readonly LogLine[] | null;
  /** The commands it runs without asking, or null when they could not be read. */
  readonly allowlist: readonly ExecAllowlistEntry[] | null;
}

/** The agent page's data; `not_found` for an id that is not this user's agent. */
export async function loadAgentPage(userId: string, agentId: string): Promise<AgentsLoad<AgentPageData>> {
  const [detail, logs, allowlist] = await Promise.all([
    load("get agent", () => backend.getAgent(userId, agentId)),
    load("agent logs", async () => (await backend.getAgentLogs(userId, agentId, { limit: 200 })).lines),
    load("exec allowlist", async () => (await backend.listExecAllowlist(userId, agentId)).entries),
  ]);
  if (!detail.ok) return detail;
  // 409: the agent has no runtime yet (or any more): there are simply no lines to show.
  const lines = logs.ok ? logs.data : logs.code === "conflict" ? [] : null;
  return {
    ok: true,
    data: { detail: detail.data, logs: lines, allowlist: allowlist.ok ? allowlist.data : null },
  };
}

/** The Control UI URL (carries the gateway token in its fragment), or the error code. */
export function loadControlUiUrl(userId: string, agentId: string): Promise<AgentsLoad<string>> {
  return load("control ui", async () => (await backend.getAgentControlUi(userId, agentId)).url);
}
