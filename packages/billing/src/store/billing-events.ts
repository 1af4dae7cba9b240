import { newId } from "@agentbot/db";
import type { DbOrTx, Prisma } from "@agentbot/db";

/** One line of a user's billing event log (shown to the user and to admins). */
export async function recordBillingEvent(
  db: DbOrTx,
  event: {
    readonly userId: string;
    readonly type: string;
    readonly message: string;
    readonly data?: Record<string, unknown>;
    readonly actorUserId?: string | null;
  },
): Promise<void> {
  await db.billingEvent.create({
    data: {
      id: newId("billingEvent"),
      userId: event.userId,
      type: event.type,
      message: event.message,
      data: (event.data ?? {}) as Prisma.InputJsonValue,
      actorUserId: event.actorUserId ?? null,
    },
  });
}
