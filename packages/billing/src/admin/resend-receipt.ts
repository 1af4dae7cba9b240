import type { Db, Prisma } from "@agentbot/db";
import { withTx } from "@agentbot/db";
import type { Tx } from "@agentbot/db";
import { BillingError } from "../errors.ts";
import { enqueueBillingTask } from "../store/billing-tasks.ts";
import type { BillingEmail } from "../store/billing-tasks.ts";

/** Receipts sent (or queued), newest first: what an admin can re-send. */
export async function listReceipts(db: Db, options: { readonly userId?: string; readonly take?: number } = {}) {
  const tasks = await db.billingTask.findMany({
    where: {
      kind: "email",
      dedupeKey: { startsWith: "receipt:" },
      ...(options.userId ? { userId: options.userId } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: options.take ?? 50,
  });
  return tasks.map((task) => ({
    taskId: task.id,
    userId: task.userId,
    payload: task.payload as unknown as Extract<BillingEmail, { template: "billing_receipt" }>,
    sentAt: task.doneAt,
    lastError: task.lastError,
    createdAt: task.createdAt,
  }));
}

/** Queues the receipt of an earlier payment again (a new task with the same facts). The caller audits in `audit`. */
export async function resendReceipt(
  db: Db,
  input: { readonly taskId: string; readonly audit?: (tx: Tx, subjectUserId: string) => Promise<void> },
) {
  return withTx(db, async (tx) => {
    const original = await tx.billingTask.findUnique({ where: { id: input.taskId } });
    if (original === null || !original.dedupeKey?.startsWith("receipt:")) {
      throw new BillingError("not_found", "no such receipt");
    }
    await enqueueBillingTask(tx, {
      kind: "email",
      userId: original.userId,
      payload: original.payload as Prisma.JsonObject as unknown as BillingEmail,
      dedupeKey: `receipt-resent:${original.id}:${Date.now()}`,
    });
    await input.audit?.(tx, original.userId);
    return { userId: original.userId };
  });
}
