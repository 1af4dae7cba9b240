import { AgentChatRequest } from "@agentbot/contracts";
import type { AgentChatEvent } from "@agentbot/contracts";
import { z } from "zod";
import { forAgent } from "../../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../server/agents-errors.ts";
import { eventStreamResponse } from "../../../../../../server/agents-sse.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `POST /api/v1/agents/{id}/chat` (scope `agents:write`: it makes the agent act, and spends credits) with
 * `{ message, sessionKey? }`: server-sent events `{type:"delta",text}`… then `{type:"done",reply}` or
 * `{type:"error",code,message}`. Errors before the reply starts (404, 409 when the agent is not running…) are JSON.
 * If the backend stream breaks off, a final `error` event says so.
 */
export const POST = forAgent((agentId) =>
  publicApiRoute({
    scope: "agents:write",
    body: AgentChatRequest,
    response: z.never(),
    handle: ({ principal, body, request }) =>
      answeringBackendErrors("POST /api/v1/agents/{id}/chat", async () => {
        const reply = await agentsBackend.chatWithAgent(principal.user.id, agentId, body, { signal: request.signal });
        return eventStreamResponse(reply, request, "POST /api/v1/agents/{id}/chat", (failure): AgentChatEvent => ({
          type: "error",
          ...failure,
        }));
      }),
  }),
);
