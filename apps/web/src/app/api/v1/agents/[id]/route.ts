import { AgentOperationAccepted, PublicAgentDetail } from "@agentbot/contracts";
import { forAgent } from "../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../server/agents-errors.ts";
import { publicApiRoute } from "../../../../../server/public-api.ts";

/** `GET /api/v1/agents/{id}` (scope `agents:read`): the agent, its event timeline and recent operations. */
export const GET = forAgent((agentId) =>
  publicApiRoute({
    scope: "agents:read",
    response: PublicAgentDetail,
    handle: ({ principal }) =>
      answeringBackendErrors("GET /api/v1/agents/{id}", () => agentsBackend.getAgent(principal.user.id, agentId)),
  }),
);

/**
 * `DELETE /api/v1/agents/{id}` (scope `agents:write`): 202 with the queued delete operation. The runtime and its
 * state are removed; the record stays, with status `deleted`.
 */
export const DELETE = forAgent((agentId) =>
  publicApiRoute({
    scope: "agents:write",
    response: AgentOperationAccepted,
    status: 202,
    handle: ({ principal }) =>
      answeringBackendErrors("DELETE /api/v1/agents/{id}", () => agentsBackend.deleteAgent(principal.user.id, agentId)),
  }),
);
