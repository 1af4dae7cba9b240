import { AgentStatusEvent } from "@agentbot/contracts";
import { forAgent } from "../../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../server/agents-errors.ts";
import { eventStreamResponse } from "../../../../../../server/agents-sse.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `GET /api/v1/agents/{id}/events` (scope `agents:read`): server-sent events of one agent, `{ agent, event }` per
 * status change or timeline event (provisioning steps arrive as they happen), starting with its current state. 404
 * before streaming if the agent is not the caller's.
 */
export const GET = forAgent((agentId) =>
  publicApiRoute({
    scope: "agents:read",
    response: AgentStatusEvent,
    handle: ({ principal, request }) =>
      answeringBackendErrors("GET /api/v1/agents/{id}/events", async () => {
        // The backend answers 404 before streaming when the agent is not this user's.
        const events = await agentsBackend.streamAgentEvents(
          principal.user.id,
          { agentId },
          { signal: request.signal },
        );
        return eventStreamResponse(events, request, "GET /api/v1/agents/{id}/events");
      }),
  }),
);
