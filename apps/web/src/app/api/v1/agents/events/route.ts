import { AgentStatusEvent } from "@agentbot/contracts";
import { agentsBackend } from "../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../server/agents-errors.ts";
import { eventStreamResponse } from "../../../../../server/agents-sse.ts";
import { publicApiRoute } from "../../../../../server/public-api.ts";

/**
 * `GET /api/v1/agents/events` (scope `agents:read`): server-sent events, one `{ agent, event }` per status change or
 * timeline event of any of the caller's agents. The dashboard's list listens with `EventSource`.
 */
export const GET = publicApiRoute({
  scope: "agents:read",
  response: AgentStatusEvent,
  handle: ({ principal, request }) =>
    answeringBackendErrors("GET /api/v1/agents/events", async () =>
      eventStreamResponse(
        await agentsBackend.streamAgentEvents(principal.user.id, {}, { signal: request.signal }),
        request,
        "GET /api/v1/agents/events",
      ),
    ),
});
