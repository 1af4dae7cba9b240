import type { ApprovalList, ApprovalStatus, CommandClass } from "@agentbot/contracts";
import type { Prisma } from "@agentbot/db";
import type { ApprovalServices } from "./approval-services.ts";
import { toApprovalView, withAgentName } from "./approval-view.ts";

/**
 * A user's requests across all their agents, newest first, with everything a person needs to decide (agent name,
 * command, cwd, class, reasons, the runtime's analysis, source, created, expires). `status: "pending"` (the default
 * of the route) leaves out requests whose time ran out but that the sweep has not marked yet; `any` and the other
 * filters are the history. `before` is the cursor: the `nextCursor` of the previous page.
 */
export async function listApprovals(
  services: ApprovalServices,
  input: {
    readonly userId: string;
    readonly status: ApprovalStatus | "any";
    readonly agentId?: string | undefined;
    readonly classification?: CommandClass | undefined;
    /** ISO timestamps: created at or after `from`, before `to`. */
    readonly from?: string | undefined;
    readonly to?: string | undefined;
    readonly before?: string | undefined;
    readonly limit: number;
  },
): Promise<ApprovalList> {
  const created: Prisma.DateTimeFilter = {
    ...(input.from ? { gte: new Date(input.from) } : {}),
    ...(input.to ? { lt: new Date(input.to) } : {}),
  };
  const where: Prisma.ApprovalRequestWhereInput = {
    userId: input.userId,
    ...(input.status === "any" ? {} : { status: input.status }),
    ...(input.status === "pending" ? { expiresAt: { gt: services.now() } } : {}),
    ...(input.agentId ? { agentId: input.agentId } : {}),
    ...(input.classification ? { classification: input.classification } : {}),
    ...(input.from || input.to ? { createdAt: created } : {}),
    // Ids are time-sortable (UUIDv7), so "older than the cursor" is "id below it".
    ...(input.before ? { id: { lt: input.before } } : {}),
  };
  const rows = await services.db.approvalRequest.findMany({
    where,
    ...withAgentName,
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    approvals: page.map(toApprovalView),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
