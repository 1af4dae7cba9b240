import { PublicExecAllowlist } from "@agentbot/contracts";
import { forAgent } from "../../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../server/agents-errors.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `GET /api/v1/agents/{id}/exec-allowlist` (scope `approvals:read`): the commands the agent runs without asking,
 * each added by an "approve always", oldest first.
 */
export const GET = forAgent((agentId) =>
  publicApiRoute({
    scope: "approvals:read",
    response: PublicExecAllowlist,
    handle: ({ principal }) =>
      answeringBackendErrors("GET /api/v1/agents/{id}/exec-allowlist", () =>
        agentsBackend.listExecAllowlist(principal.user.id, agentId),
      ),
  }),
);
