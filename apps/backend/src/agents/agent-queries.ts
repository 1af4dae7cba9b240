import type { AgentDetail, AgentList, ChatStreamEvent, LogLineSchema } from "@agentbot/contracts";
import { createParser } from "eventsource-parser";
import { HttpError } from "../http/http-error.ts";
import type { AgentServices } from "./agent-services.ts";
import { openAgentSecrets, secretValues } from "./agent-secrets.ts";
import { agentWithActiveOperation, toAgentView, toEventView, toOperationView } from "./agent-view.ts";
import { createLogRedactor } from "./log-redaction.ts";
import { refOf } from "./operations/operation-runner.ts";

const TIMELINE_LIMIT = 200;
const OPERATIONS_LIMIT = 20;

/** The user's agent or 404: another user's agent is indistinguishable from one that does not exist. */
export async function findOwnAgent(services: AgentServices, userId: string, agentId: string) {
  const agent = await services.db.agent.findFirst({ where: { id: agentId, userId } });
  if (!agent) throw new HttpError(404, "not_found", "No such agent.");
  return agent;
}

export async function listAgents(services: AgentServices, userId: string, includeDeleted: boolean): Promise<AgentList> {
  const rows = await services.db.agent.findMany({
    where: { userId, ...(includeDeleted ? {} : { deletedAt: null }) },
    orderBy: { createdAt: "desc" },
    ...agentWithActiveOperation,
  });
  return { agents: rows.map(toAgentView) };
}

export async function getAgentDetail(services: AgentServices, userId: string, agentId: string): Promise<AgentDetail> {
  const agent = await services.db.agent.findFirst({ where: { id: agentId, userId }, ...agentWithActiveOperation });
  if (!agent) throw new HttpError(404, "not_found", "No such agent.");
  const [events, operations] = await Promise.all([
    services.db.agentEvent.findMany({ where: { agentId }, orderBy: { createdAt: "desc" }, take: TIMELINE_LIMIT }),
    services.db.agentOperation.findMany({ where: { agentId }, orderBy: { createdAt: "desc" }, take: OPERATIONS_LIMIT }),
  ]);
  return {
    agent: toAgentView(agent),
    events: events.reverse().map(toEventView),
    operations: operations.map(toOperationView),
  };
}

async function agentWithWorkload(services: AgentServices, userId: string, agentId: string) {
  const agent = await findOwnAgent(services, userId, agentId);
  const ref = refOf(agent);
  if (!ref || agent.status === "deleted") {
    throw new HttpError(409, "conflict", "This agent has no runtime (it is not deployed or was deleted).");
  }
  const secrets = openAgentSecrets(services.secrets, agent);
  return { agent, ref, secrets, redact: createLogRedactor(secretValues(secrets)) };
}

export async function recentLogs(services: AgentServices, userId: string, agentId: string, limit: number) {
  const { ref, redact } = await agentWithWorkload(services, userId, agentId);
  const lines = await services.driver.logs(ref, { limit });
  return { lines: lines.map((line): LogLineSchema => ({ ...line, text: redact(line.text) })) };
}

export async function followLogs(
  services: AgentServices,
  input: { userId: string; agentId: string; signal: AbortSignal; onLine: (line: LogLineSchema) => void },
) {
  const { ref, redact } = await agentWithWorkload(services, input.userId, input.agentId);
  return async () => {
    for await (const line of services.driver.followLogs(ref, { signal: input.signal })) {
      input.onLine({ ...line, text: redact(line.text) });
    }
  };
}

/** The Control UI link: the gateway token rides in the fragment, which browsers never send to a server. */
export async function controlUiLink(services: AgentServices, userId: string, agentId: string) {
  const { agent, secrets } = await agentWithWorkload(services, userId, agentId);
  if (!agent.url) throw new HttpError(409, "conflict", "This agent has no address yet.");
  return { url: `${agent.url.replace(/\/$/, "")}/#token=${encodeURIComponent(secrets.gatewayToken)}` };
}

const CHATTABLE = new Set(["running", "degraded"]);
const CHAT_TIMEOUT_MS = 5 * 60_000;

/**
 * Sends one message through the runtime's OpenAI-compatible endpoint (`/v1/chat/completions`, `model:
 * "openclaw/default"`, stream) with the agent's gateway token, and re-emits the reply as ChatStreamEvents. The
 * conversation sticks to one OpenClaw session per user (or the given session key).
 */
export async function prepareChat(
  services: AgentServices,
  input: { userId: string; agentId: string; message: string; sessionKey?: string | undefined },
) {
  const { agent, secrets, redact } = await agentWithWorkload(services, input.userId, input.agentId);
  if (!CHATTABLE.has(agent.status) || !agent.url) {
    throw new HttpError(409, "conflict", `The agent is ${agent.status}; chat needs it running.`);
  }
  const url = `${agent.url.replace(/\/$/, "")}/v1/chat/completions`;
  return async (emit: (event: ChatStreamEvent) => void, signal: AbortSignal) => {
    let reply = "";
    try {
      const response = await fetch(url, {
        method: "POST",
        signal: AbortSignal.any([signal, AbortSignal.timeout(CHAT_TIMEOUT_MS)]),
        headers: {
          authorization: `Bearer ${secrets.gatewayToken}`,
          "content-type": "application/json",
          accept: "text/event-stream",
          "x-openclaw-session-key": input.sessionKey ?? `dashboard-${input.userId}`,
        },
        body: JSON.stringify({
          model: "openclaw/default",
          stream: true,
          user: input.sessionKey ?? `dashboard-${input.userId}`,
          messages: [{ role: "user", content: input.message }],
        }),
      });
      if (!response.ok || !response.body) {
        const text = redact(await response.text().catch(() => ""));
        emit({
          type: "error",
          code: "runtime_error",
          message: `the runtime answered HTTP ${response.status} ${text.slice(0, 200)}`,
        });
        return;
      }
      let failed = false;
      const parser = createParser({
        onEvent(event) {
          if (event.data === "[DONE]") return;
          try {
            const chunk = JSON.parse(event.data) as {
              choices?: { delta?: { content?: string | null }; message?: { content?: string | null } }[];
              error?: { message?: string };
            };
            if (chunk.error) {
              failed = true;
              emit({ type: "error", code: "runtime_error", message: redact(chunk.error.message ?? "runtime error") });
              return;
            }
            const text = chunk.choices?.[0]?.delta?.content ?? chunk.choices?.[0]?.message?.content ?? "";
            if (text) {
              reply += text;
              emit({ type: "delta", text });
            }
          } catch {
            // A line that is not JSON is not part of the OpenAI stream protocol; ignore it.
          }
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      if (!failed) emit({ type: "done", reply });
    } catch (error) {
      if (signal.aborted) return;
      emit({
        type: "error",
        code: "runtime_unreachable",
        message: `the runtime did not answer: ${(error as Error).message}`,
      });
    }
  };
}
