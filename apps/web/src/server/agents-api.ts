import "server-only";
import { RedeployAgentRequest, toValidationIssues } from "@agentbot/contracts";
import type { AgentActionRequest } from "@agentbot/contracts";
import { AgentOperationAccepted } from "@agentbot/contracts";
import { agentsBackend } from "./agents-backend.ts";
import { answeringBackendErrors } from "./agents-errors.ts";
import { errorResponse, validationErrorResponse } from "./api-response.ts";
import { publicApiRoute } from "./public-api.ts";

/** The second argument Next.js passes to handlers under `/api/v1/agents/[id]/…`. */
export interface AgentRouteContext {
  readonly params: Promise<{ id: string }>;
}

/** A public API handler for one agent: `build` receives the agent id from the path. */
export function forAgent(
  build: (agentId: string) => (request: Request) => Promise<Response>,
): (request: Request, context: AgentRouteContext) => Promise<Response> {
  return async (request, context) => build((await context.params).id)(request);
}

/** Bodies of lifecycle actions are tiny; the redeploy body only names a version. */
const maxActionBodyBytes = 4 * 1024;

/**
 * The optional JSON body of `POST …/redeploy`: empty means "the current version". Read here rather than by
 * publicApiRoute, which requires a body whenever a route declares one.
 */
async function readRedeployBody(request: Request): Promise<AgentActionRequest | Response> {
  const text = await request.text();
  if (text.trim() === "") return { action: "redeploy" };
  if (Buffer.byteLength(text) > maxActionBodyBytes) {
    return errorResponse(413, "payload_too_large", "The request body is too large.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return errorResponse(400, "invalid_json", "The request body is not valid JSON.");
  }
  const parsed = RedeployAgentRequest.safeParse(value);
  if (!parsed.success) return validationErrorResponse(toValidationIssues("body", parsed.error.issues));
  return parsed.data.runtimeVersion === undefined
    ? { action: "redeploy" }
    : { action: "redeploy", runtimeVersion: parsed.data.runtimeVersion };
}

/**
 * `POST /api/v1/agents/{id}/start|stop|restart|redeploy` (scope `agents:write`): 202 with the agent and the queued
 * operation; 409 `conflict` while another operation is in flight; 404 for an agent that is not the caller's.
 */
export function lifecycleRoute(action: AgentActionRequest["action"]) {
  return forAgent((agentId) =>
    publicApiRoute({
      scope: "agents:write",
      response: AgentOperationAccepted,
      status: 202,
      handle: async ({ principal, request }) => {
        const body = action === "redeploy" ? await readRedeployBody(request) : { action };
        if (body instanceof Response) return body;
        return answeringBackendErrors(`POST /api/v1/agents/{id}/${action}`, () =>
          agentsBackend.agentAction(principal.user.id, agentId, body),
        );
      },
    }),
  );
}
