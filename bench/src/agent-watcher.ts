import type { BackendClient } from "@agentbot/client";
import type { Agent, AgentStreamEvent } from "@agentbot/contracts";

interface Waiter {
  readonly agentId: string;
  readonly accept: (agent: Agent) => boolean;
  readonly resolve: (seen: Seen) => void;
}

/** An agent state seen on the live stream, and when (performance.now()) it arrived. */
export interface Seen {
  readonly agent: Agent;
  readonly at: number;
}

/**
 * Follows one user's live agent stream (`streamAgentEvents`, the SSE route the dashboard uses) and answers when an
 * agent reaches a state, with the moment the update arrived here: "when the API said so", not when the database
 * committed it. Updates that arrive before anyone waits are kept (the latest per agent), so a wait started after the
 * provision call returned still sees a state reached during that call.
 */
export async function watchAgents(client: BackendClient, userId: string) {
  const latest = new Map<string, Seen>();
  const history = new Map<string, Seen[]>();
  let waiters: Waiter[] = [];
  const stream = await client.streamAgentEvents(userId);
  const pump = (async () => {
    for await (const update of stream as AsyncIterable<AgentStreamEvent>) {
      const seen: Seen = { agent: update.agent, at: performance.now() };
      latest.set(update.agent.id, seen);
      const list = history.get(update.agent.id) ?? [];
      list.push(seen);
      history.set(update.agent.id, list);
      waiters = waiters.filter((waiter) => {
        if (waiter.agentId !== update.agent.id || !waiter.accept(update.agent)) return true;
        waiter.resolve(seen);
        return false;
      });
    }
  })();

  return {
    /**
     * The first update of `agentId` for which `accept` holds (among those already seen, the first such one), or a
     * rejection naming the last status seen after `timeoutMs`.
     */
    waitFor(agentId: string, accept: (agent: Agent) => boolean, timeoutMs = 60_000): Promise<Seen> {
      const earlier = history.get(agentId)?.find((seen) => accept(seen.agent));
      if (earlier) return Promise.resolve(earlier);
      return new Promise<Seen>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter.resolve !== done);
          const last = latest.get(agentId)?.agent;
          reject(
            new Error(
              `agent ${agentId}: no matching update within ${timeoutMs} ms (last status: ${last?.status ?? "none"})`,
            ),
          );
        }, timeoutMs);
        const done = (seen: Seen) => {
          clearTimeout(timer);
          resolve(seen);
        };
        waiters.push({ agentId, accept, resolve: done });
      });
    },
    /** Forgets an agent's updates (after it was deleted), so memory stays flat over many runs. */
    forget(agentId: string) {
      latest.delete(agentId);
      history.delete(agentId);
    },
    async close() {
      stream.close();
      await pump.catch(() => undefined);
    },
  };
}

export type AgentWatcher = Awaited<ReturnType<typeof watchAgents>>;
