import { PublicAgent, SetExecPolicyRequest } from "@agentbot/contracts";
import { forAgent } from "../../../../../../server/agents-api.ts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../server/agents-errors.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `PUT /api/v1/agents/{id}/exec-policy` (scope `approvals:write`), body `{ execPolicy: "strict" | "balanced" |
 * "permissive" }`: who decides the agent's shell commands from its next request on. Destructive commands always wait
 * for a person, whatever the policy. Audited.
 */
export const PUT = forAgent((agentId) =>
  publicApiRoute({
    scope: "approvals:write",
    body: SetExecPolicyRequest,
    response: PublicAgent,
    handle: ({ principal, body }) =>
      answeringBackendErrors("PUT /api/v1/agents/{id}/exec-policy", () =>
        agentsBackend.setAgentExecPolicy(principal.user.id, agentId, body.execPolicy),
      ),
  }),
);
