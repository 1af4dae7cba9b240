import type { Db } from "@agentbot/db";

/** Open invoices past their expiry become `expired` (a transfer after that is held for an admin). */
export async function expireUsdcInvoices(db: Db, now: Date): Promise<number> {
  const { count } = await db.usdcInvoice.updateMany({
    where: { status: "open", expiresAt: { lte: now } },
    data: { status: "expired" },
  });
  return count;
}
