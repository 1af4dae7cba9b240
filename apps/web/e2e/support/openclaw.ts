import type { APIRequestContext } from "@playwright/test";
import { bearer, expect, getJson } from "./accounts.ts";

/** Helpers of the specs that run on the REAL OpenClaw runtime (the OpenClaw stack of playwright.config.ts). */

/** A cold cache installs OpenClaw (20-25 s) before the first boot, which takes 10-25 s of both cores, more under load. */
export const BOOT_TIMEOUT_MS = 5 * 60_000;

export interface AgentView {
  readonly id: string;
  readonly status: string;
  readonly failureReason: string | null;
  readonly failureMessage: string | null;
}
export interface TimelineEvent {
  readonly id: string;
  readonly type: string;
  readonly message: string;
  readonly durationMs: number | null;
}
export interface AgentDetailBody {
  readonly agent: AgentView;
  readonly events: readonly TimelineEvent[];
}

/** Prints each timeline event once, as it appears. */
export class TimelinePrinter {
  private readonly seen = new Set<string>();
  private readonly print: (message: string) => void;

  constructor(print: (message: string) => void) {
    this.print = print;
  }

  show(events: readonly TimelineEvent[]): void {
    for (const event of events) {
      if (this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      const took = event.durationMs === null ? "" : ` (took ${event.durationMs} ms)`;
      this.print(`${event.type}: ${event.message}${took}`);
    }
  }
}

/** Polls the agent until it reaches `status`; fails at once, with its timeline, when it fails instead. */
export async function waitForAgent(
  request: APIRequestContext,
  key: string,
  agentId: string,
  status: string,
  timeline: TimelinePrinter,
): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  let last: AgentDetailBody | undefined;
  while (Date.now() < deadline) {
    const detail = await getJson(request, `/api/v1/agents/${agentId}`, bearer(key));
    expect(detail.status).toBe(200);
    last = detail.body as AgentDetailBody;
    timeline.show(last.events);
    if (last.agent.status === status) return;
    if (last.agent.status === "failed") {
      throw new Error(
        `the agent failed (${String(last.agent.failureReason)}): ${String(last.agent.failureMessage)}\n` +
          (await logTail(request, key, agentId)),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `the agent did not reach ${status} within ${BOOT_TIMEOUT_MS} ms (last: ${String(last?.agent.status)})\n` +
      (await logTail(request, key, agentId)),
  );
}

async function logTail(request: APIRequestContext, key: string, agentId: string): Promise<string> {
  const logs = await getJson(request, `/api/v1/agents/${agentId}/logs?limit=40`, bearer(key));
  const lines = (logs.body as { lines?: Array<{ text: string }> }).lines ?? [];
  return `--- last log lines ---\n${lines.map((line) => line.text).join("\n")}`;
}
