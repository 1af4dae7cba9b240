import type { ApprovalServices } from "./approval-services.ts";
import { publishApprovalChange } from "./approval-services.ts";

/**
 * Marks pending requests whose expiry has passed as `expired` (the runtime denies them itself at that moment; this
 * keeps the record true when the runtime could not tell us, e.g. the agent was stopped). One conditional UPDATE, so
 * it is safe on every instance at once and never touches a request decided meanwhile. Answers how many it marked.
 */
export async function expireOverdueApprovals(services: ApprovalServices): Promise<number> {
  const now = services.now();
  const expired = await services.db.approvalRequest.updateManyAndReturn({
    where: { status: "pending", expiresAt: { lte: now } },
    data: { status: "expired", decidedAt: now },
    select: { id: true, userId: true, agentId: true },
  });
  for (const row of expired) {
    await publishApprovalChange(services, row.userId, row.agentId, { type: "decided", approvalId: row.id });
  }
  return expired.length;
}
