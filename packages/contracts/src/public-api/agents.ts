import { z } from "zod";
import {
  Agent,
  AgentDetail,
  AgentLogs,
  AgentSettings,
  AgentStreamEvent,
  ChatRequest,
  ChatStreamEvent,
  ControlUiLink,
  LogLineSchema,
  OperationAccepted,
  RuntimeVersion,
} from "../routes/agents.ts";

/**
 * The agents part of the public API (`/api/v1/agents…`, served by apps/web). Reads need `agents:read`, changes
 * `agents:write`. Every route acts for the credential's user: another user's agent answers 404 `not_found`. The
 * shapes are the backend's own (routes/agents.ts), so the two cannot drift.
 *
 * Streams (`text/event-stream`): each message is `data: <JSON>\n\n`, with `: ping` comments as heartbeats; an error
 * before the stream starts is a normal JSON error with its status.
 */

/** An agent as the public API returns it (secrets are never part of it). */
export const PublicAgent = Agent;
export type PublicAgent = z.infer<typeof PublicAgent>;

/** `GET /api/v1/agents`: the caller's agents, newest first (deleted ones left out). */
export const ListAgentsResponse = z.object({ agents: z.array(PublicAgent) }).meta({ id: "AgentList" });
export type ListAgentsResponse = z.infer<typeof ListAgentsResponse>;

/**
 * `POST /api/v1/agents` body. A provider API key is required unless `modelProvider` is `platform`. The optional
 * `Idempotency-Key` header (8–128 of `A-Z a-z 0-9 . _ : -`) makes retries safe: the same key from the same user answers
 * the agent created the first time (`created: false`). Without it every request creates a new agent.
 */
export const CreateAgentRequest = AgentSettings.strict().meta({ id: "CreateAgent" });
export type CreateAgentRequest = z.input<typeof CreateAgentRequest>;

export const idempotencyKeyHeader = "idempotency-key";

/**
 * The answer (202) to create, start, stop, restart, redeploy and delete: the agent, the queued operation, and whether
 * this request created it (false for a repeated Idempotency-Key).
 */
export const AgentOperationAccepted = OperationAccepted;
export type AgentOperationAccepted = z.infer<typeof AgentOperationAccepted>;

/** `GET /api/v1/agents/{id}`: the agent with its event timeline (oldest first) and recent operations. */
export const PublicAgentDetail = AgentDetail;
export type PublicAgentDetail = z.infer<typeof PublicAgentDetail>;

/** `POST /api/v1/agents/{id}/redeploy` body (optional): a runtime version to move to; default the current one. */
export const RedeployAgentRequest = z
  .object({ runtimeVersion: RuntimeVersion.optional() })
  .strict()
  .meta({ id: "RedeployAgent" });
export type RedeployAgentRequest = z.infer<typeof RedeployAgentRequest>;

export const agentLifecycleActions = ["start", "stop", "restart", "redeploy"] as const;
export type AgentLifecycleAction = (typeof agentLifecycleActions)[number];

/** `GET /api/v1/agents/{id}/logs`: recent lines, or with `follow=1` a stream of `AgentLogLine` events. */
export const AgentLogsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  follow: z.enum(["0", "1", "true", "false"]).default("0"),
});
export const AgentLogsResponse = AgentLogs;
export type AgentLogsResponse = z.infer<typeof AgentLogsResponse>;
export const AgentLogLine = LogLineSchema;
export type AgentLogLine = z.infer<typeof AgentLogLine>;

/** `GET /api/v1/agents/events` and `/api/v1/agents/{id}/events`: a stream of these (the agent's new state and the
 * timeline event that changed it). */
export const AgentStatusEvent = AgentStreamEvent;
export type AgentStatusEvent = z.infer<typeof AgentStatusEvent>;

/** `POST /api/v1/agents/{id}/chat`: the body, and the stream of `delta`… then `done` or `error` events. */
export const AgentChatRequest = ChatRequest;
export type AgentChatRequest = z.infer<typeof AgentChatRequest>;
export const AgentChatEvent = ChatStreamEvent;
export type AgentChatEvent = z.infer<typeof AgentChatEvent>;

/** `GET /api/v1/agents/{id}/control-ui`: the URL that opens the runtime's Control UI (its token in the fragment). */
export const AgentControlUiLink = ControlUiLink;
export type AgentControlUiLink = z.infer<typeof AgentControlUiLink>;
