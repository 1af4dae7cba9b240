import { renderApprovalWaitingEmail } from "@agentbot/email";
import type { ApprovalServices } from "./approval-services.ts";

/**
 * Emails each owner about requests that have waited for a decision longer than `notifyAfterMs`: one email per owner
 * per sweep, each request at most once (`notified_at`, claimed by a conditional UPDATE, so two instances never both
 * send for one request). A failed send gives the claim back, so the next sweep tries again. Requests past their
 * expiry are left out (nothing can be decided any more). Answers how many requests were emailed about.
 */
export async function notifyWaitingApprovals(services: ApprovalServices): Promise<number> {
  const { db, email, logger } = services;
  if (email === null) return 0;
  const now = services.now();
  const claimed = await db.approvalRequest.updateManyAndReturn({
    where: {
      status: "pending",
      notifiedAt: null,
      createdAt: { lte: new Date(now.getTime() - services.notifyAfterMs) },
      expiresAt: { gt: now },
    },
    data: { notifiedAt: now },
    select: { id: true, userId: true, classification: true, expiresAt: true, agent: { select: { name: true } } },
  });
  const byUser = Map.groupBy(claimed, (row) => row.userId);
  let sent = 0;
  for (const [userId, rows] of byUser) {
    try {
      const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, name: true } });
      if (user === null) continue;
      const rendered = renderApprovalWaitingEmail({
        name: user.name,
        waiting: rows.map((row) => ({
          agentName: row.agent.name,
          classification: row.classification as "safe" | "dangerous" | "destructive",
          expiresAt: row.expiresAt,
        })),
        approvalsUrl: new URL("/approvals", services.webUrl).toString(),
      });
      await email.send({ ...rendered, to: user.email });
      sent += rows.length;
    } catch (error) {
      logger.warn({ err: error, userId }, "could not email about waiting approvals; the next sweep tries again");
      await db.approvalRequest.updateMany({
        where: { id: { in: rows.map((row) => row.id) }, notifiedAt: now },
        data: { notifiedAt: null },
      });
    }
  }
  return sent;
}
