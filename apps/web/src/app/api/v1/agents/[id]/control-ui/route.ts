import { AgentControlUiLink } from "@agentbot/contracts";
import { forAgent } from "../../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../server/agents-errors.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `GET /api/v1/agents/{id}/control-ui` (scope `agents:write`, not read: the URL carries the runtime's gateway token,
 * which grants full control of the agent): `{ url }`, the token in the URL fragment.
 */
export const GET = forAgent((agentId) =>
  publicApiRoute({
    scope: "agents:write",
    response: AgentControlUiLink,
    handle: ({ principal }) =>
      answeringBackendErrors("GET /api/v1/agents/{id}/control-ui", () =>
        agentsBackend.getAgentControlUi(principal.user.id, agentId),
      ),
  }),
);
