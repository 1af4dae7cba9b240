import type { ApprovalList } from "@agentbot/contracts";
import type { Prisma } from "@agentbot/db";
import type { ApprovalServices } from "./approval-services.ts";
import { toApprovalView } from "./approval-view.ts";

/** A user's requests, newest first, filtered; `before` is the id of the last one of the previous page. */
export async function listApprovals(
  services: ApprovalServices,
  input: {
    readonly userId: string;
    readonly status: string;
    readonly agentId?: string | undefined;
    readonly classification?: string | undefined;
    readonly before?: string | undefined;
    readonly limit: number;
  },
): Promise<ApprovalList> {
  const where: Prisma.ApprovalRequestWhereInput = {
    userId: input.userId,
    ...(input.status === "any" ? {} : { status: input.status }),
    ...(input.status === "pending" ? { expiresAt: { gt: new Date() } } : {}),
    ...(input.agentId ? { agentId: input.agentId } : {}),
    ...(input.classification ? { classification: input.classification } : {}),
    // Ids are time-sortable (UUIDv7), so "older than the cursor" is "id below it".
    ...(input.before ? { id: { lt: input.before } } : {}),
  };
  const rows = await services.db.approvalRequest.findMany({
    where,
    include: { agent: { select: { name: true } } },
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    approvals: page.map(toApprovalView),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
