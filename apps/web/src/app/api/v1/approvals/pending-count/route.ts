import { PublicPendingApprovalCount } from "@agentbot/contracts";
import { agentsBackend } from "../../../../../server/agents-backend.ts";
import { publicApiRoute } from "../../../../../server/public-api.ts";
import { answeringApprovalErrors } from "../approvals-backend-errors.ts";

/** `GET /api/v1/approvals/pending-count` (scope `approvals:read`): how many requests wait for the caller. */
export const GET = publicApiRoute({
  scope: "approvals:read",
  response: PublicPendingApprovalCount,
  handle: ({ principal }) =>
    answeringApprovalErrors("GET /api/v1/approvals/pending-count", () =>
      agentsBackend.countPendingApprovals(principal.user.id),
    ),
});
