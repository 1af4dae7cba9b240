import { PlanId } from "@agentbot/plans";
import { SubscriptionResponse, SubscriptionStatus } from "@agentbot/contracts";
import { services } from "../../../../../server/infra.ts";
import { publicApiRoute } from "../../../../../server/public-api.ts";

/** `GET /api/v1/billing/subscription` (scope `billing:read`): the caller's plan and subscription status. */
export const GET = publicApiRoute({
  scope: "billing:read",
  response: SubscriptionResponse,
  handle: async ({ principal }) => {
    const user = await services().db.user.findUniqueOrThrow({
      where: { id: principal.user.id },
      select: { plan: true, subscriptionStatus: true },
    });
    // Values the contract does not know (a plan retired later, say) read as none rather than failing the request.
    return {
      plan: PlanId.safeParse(user.plan).data ?? null,
      subscriptionStatus: SubscriptionStatus.safeParse(user.subscriptionStatus).data ?? "none",
    };
  },
});
