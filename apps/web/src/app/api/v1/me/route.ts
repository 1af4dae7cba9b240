import { MeResponse } from "@agentbot/contracts";
import { SCOPES } from "@agentbot/auth";
import { publicApiRoute } from "../../../../server/public-api.ts";

/** `GET /api/v1/me`: whose credential this is and what it may do. Any valid session or API key. */
export const GET = publicApiRoute({
  scope: null,
  response: MeResponse,
  handle: ({ principal }) =>
    Promise.resolve({
      user: {
        id: principal.user.id,
        email: principal.user.email,
        name: principal.user.name,
        role: principal.user.role,
        emailVerified: principal.user.emailVerified,
        createdAt: principal.user.createdAt.toISOString(),
      },
      auth: {
        method: principal.via,
        scopes: SCOPES.filter((scope) => principal.scopes.has(scope)),
        ...(principal.apiKeyId === undefined ? {} : { apiKeyId: principal.apiKeyId }),
      },
    }),
});
