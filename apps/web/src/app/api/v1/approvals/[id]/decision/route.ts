import { DecideApprovalRequest, PublicApproval } from "@agentbot/contracts";
import { agentsBackend } from "../../../../../../server/agents-backend.ts";
import { publicApiRoute, requestClientIp } from "../../../../../../server/public-api.ts";
import { answeringApprovalErrors } from "../../approvals-backend-errors.ts";

interface ApprovalRouteContext {
  readonly params: Promise<{ id: string }>;
}

/**
 * `POST /api/v1/approvals/{id}/decision` (scope `approvals:write`), body `{ decision: "approve_once" |
 * "approve_always" | "deny", confirmAgentName? }`: 200 with the request as decided. Repeating the decision answers
 * it again; a different one afterwards is 409 `conflict`. Approving a Destructive command needs a password
 * re-authentication, which an API key cannot do: with a key it is always 403 `reauthentication_required` (deny
 * works); a signed-in person re-authenticates in the dashboard first and types the agent's name
 * (`confirmAgentName`).
 */
export async function POST(request: Request, context: ApprovalRouteContext): Promise<Response> {
  const approvalId = (await context.params).id;
  return publicApiRoute({
    scope: "approvals:write",
    body: DecideApprovalRequest,
    response: PublicApproval,
    handle: ({ principal, body }) =>
      answeringApprovalErrors("POST /api/v1/approvals/{id}/decision", () =>
        agentsBackend.decideApproval(principal.user.id, approvalId, {
          ...body,
          actor: {
            via: principal.via,
            ...(principal.apiKeyId === undefined ? {} : { apiKeyId: principal.apiKeyId }),
            ip: requestClientIp(request),
            userAgent: request.headers.get("user-agent")?.slice(0, 500) ?? null,
          },
        }),
      ),
  })(request);
}
