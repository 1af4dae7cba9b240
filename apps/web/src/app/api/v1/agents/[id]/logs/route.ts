import { AgentLogsQuery, AgentLogsResponse } from "@agentbot/contracts";
import { forAgent } from "../../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../server/agents-errors.ts";
import { eventStreamResponse } from "../../../../../../server/agents-sse.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `GET /api/v1/agents/{id}/logs` (scope `agents:read`): the most recent `limit` lines (default 200) as JSON, or with
 * `follow=1` a stream of server-sent events, one `AgentLogLine` each, as the runtime writes them. Secrets are
 * redacted by the backend before a line leaves it.
 */
export const GET = forAgent((agentId) =>
  publicApiRoute({
    scope: "agents:read",
    query: AgentLogsQuery,
    response: AgentLogsResponse,
    handle: ({ principal, query, request }) =>
      answeringBackendErrors("GET /api/v1/agents/{id}/logs", async () => {
        if (query.follow === "1" || query.follow === "true") {
          const lines = await agentsBackend.followAgentLogs(principal.user.id, agentId, { signal: request.signal });
          return eventStreamResponse(lines, request, "GET /api/v1/agents/{id}/logs?follow");
        }
        return agentsBackend.getAgentLogs(principal.user.id, agentId, { limit: query.limit });
      }),
  }),
);
