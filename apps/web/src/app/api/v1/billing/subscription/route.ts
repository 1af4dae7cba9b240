import { SubscriptionResponse } from "@agentbot/contracts";
import { publicApiRoute } from "../../../../../server/public-api.ts";
import { subscriptionOf } from "../../../../../server/billing-api.ts";

/** `GET /api/v1/billing/subscription` (scope `billing:read`): the caller's plan and where their billing stands. */
export const GET = publicApiRoute({
  scope: "billing:read",
  response: SubscriptionResponse,
  handle: ({ principal }) => subscriptionOf(principal.user.id),
});
