import { PublicApprovalEvent } from "@agentbot/contracts";
import { agentsBackend } from "../../../../../server/agents-backend.ts";
import { eventStreamResponse } from "../../../../../server/agents-sse.ts";
import { publicApiRoute } from "../../../../../server/public-api.ts";
import { answeringApprovalErrors } from "../approvals-backend-errors.ts";

/**
 * `GET /api/v1/approvals/events` (scope `approvals:read`): server-sent events: first `{ type: "snapshot", approvals }`
 * with every pending request, then `{ type: "created" | "decided", approval }` as they happen.
 */
export const GET = publicApiRoute({
  scope: "approvals:read",
  response: PublicApprovalEvent,
  handle: ({ principal, request }) =>
    answeringApprovalErrors("GET /api/v1/approvals/events", async () =>
      eventStreamResponse(
        await agentsBackend.streamApprovals(principal.user.id, { signal: request.signal }),
        request,
        "GET /api/v1/approvals/events",
      ),
    ),
});
