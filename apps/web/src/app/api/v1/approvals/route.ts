import { PublicApprovalList, PublicApprovalListQuery } from "@agentbot/contracts";
import { agentsBackend } from "../../../../server/agents-backend.ts";
import { publicApiRoute } from "../../../../server/public-api.ts";
import { answeringApprovalErrors } from "./approvals-backend-errors.ts";

/**
 * `GET /api/v1/approvals` (scope `approvals:read`): the caller's approval requests across their agents, newest
 * first: pending ones by default; `status=any` (or one status), `agentId`, `classification`, `from`, `to` for the
 * history, `before=<nextCursor>` for the next page.
 */
export const GET = publicApiRoute({
  scope: "approvals:read",
  query: PublicApprovalListQuery,
  response: PublicApprovalList,
  handle: ({ principal, query }) =>
    answeringApprovalErrors("GET /api/v1/approvals", () => agentsBackend.listApprovals(principal.user.id, query)),
});
