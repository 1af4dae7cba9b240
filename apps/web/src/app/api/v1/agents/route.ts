import { CreateAgentRequest, ListAgentsResponse } from "@agentbot/contracts";
import { z } from "zod";
import { errorResponse } from "../../../../server/api-response.ts";
import { publicApiRoute } from "../../../../server/public-api.ts";

/**
 * `GET /api/v1/agents` (scope `agents:read`) and `POST /api/v1/agents` (scope `agents:write`). The credential, scope,
 * CSRF and body checks are real; the agents themselves arrive with the provisioning issue. Until then the list is
 * empty and creating answers 501 `not_implemented`.
 */
export const GET = publicApiRoute({
  scope: "agents:read",
  response: ListAgentsResponse,
  handle: () => Promise.resolve({ agents: [] }),
});

export const POST = publicApiRoute({
  scope: "agents:write",
  body: CreateAgentRequest,
  response: z.never(),
  handle: () =>
    Promise.resolve(
      errorResponse(
        501,
        "not_implemented",
        "Creating agents is not available yet: provisioning arrives in a later release. Your request was valid.",
      ),
    ),
});
