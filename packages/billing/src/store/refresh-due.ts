import type { Db } from "@agentbot/db";
import { withTx } from "@agentbot/db";
import { refreshEntitlement } from "./refresh-entitlement.ts";

/**
 * Time alone changes entitlements: a USDC period ends (or a paid-ahead one begins), a grant ends or begins. Every
 * user with such a boundary in (`since`, `now`] is re-derived; refreshing is idempotent, so overlapping windows are
 * harmless. Answers how many users changed.
 */
export async function refreshDueEntitlements(db: Db, since: Date, now: Date): Promise<number> {
  const window = { gt: since, lte: now };
  const [periods, grants] = await Promise.all([
    db.usdcInvoice.findMany({
      where: { status: "paid", OR: [{ periodEnd: window }, { periodStart: window }] },
      select: { userId: true },
    }),
    db.planGrant.findMany({ where: { OR: [{ endsAt: window }, { startsAt: window }] }, select: { userId: true } }),
  ]);
  let changed = 0;
  for (const userId of new Set([...periods, ...grants].map((row) => row.userId))) {
    const result = await withTx(db, (tx) => refreshEntitlement(tx, userId, now, { reason: "period boundary" }));
    if (result.changed) changed++;
  }
  return changed;
}
