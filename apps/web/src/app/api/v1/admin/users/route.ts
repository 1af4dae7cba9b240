import { ListAdminUsersQuery, ListAdminUsersResponse } from "@agentbot/contracts";
import { listUsersAsAdmin } from "../../../../../server/accounts.ts";
import { publicApiRoute } from "../../../../../server/public-api.ts";

/** `GET /api/v1/admin/users?search=&limit=&offset=` (scope `admin`): accounts, newest first. */
export const GET = publicApiRoute({
  scope: "admin",
  query: ListAdminUsersQuery,
  response: ListAdminUsersResponse,
  handle: ({ principal, query }) => listUsersAsAdmin(principal, query),
});
