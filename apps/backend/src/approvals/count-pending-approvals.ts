import type { PendingApprovalCount } from "@agentbot/contracts";
import type { ApprovalServices } from "./approval-services.ts";

/** How many requests wait for the user now (the navigation badge): pending and not yet past their expiry. */
export async function countPendingApprovals(services: ApprovalServices, userId: string): Promise<PendingApprovalCount> {
  const pending = await services.db.approvalRequest.count({
    where: { userId, status: "pending", expiresAt: { gt: services.now() } },
  });
  return { pending };
}
