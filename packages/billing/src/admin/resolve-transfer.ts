import { withTx } from "@agentbot/db";
import type { Db, Tx } from "@agentbot/db";
import { BillingError } from "../errors.ts";
import { formatUsdc, parseBaseUnits } from "../rules/money.ts";
import { recordBillingEvent } from "../store/billing-events.ts";

/**
 * An admin resolves a USDC transfer that was held (late, or to an address we cannot match): `credit` adds it to the
 * invoice owner's USDC credit (taken off their next invoice), `dismiss` closes it without credit (e.g. refunded
 * outside the platform). Only a transfer of USDC to a known invoice can be credited. The caller audits.
 */
export async function resolveUsdcTransfer(
  db: Db,
  input: {
    readonly transferId: string;
    readonly action: "credit" | "dismiss";
    readonly note: string;
    readonly adminId: string;
    readonly audit?: (tx: Tx, subjectUserId: string | null) => Promise<void>;
  },
) {
  return withTx(db, async (tx) => {
    const transfer = await tx.usdcTransfer.findUnique({ where: { id: input.transferId }, include: { invoice: true } });
    if (transfer === null) throw new BillingError("not_found", "no such transfer");
    if (transfer.status === "credited" || transfer.status === "resolved") {
      throw new BillingError("invalid_state", `this transfer is already ${transfer.status}`);
    }
    const amount = parseBaseUnits(transfer.amount);
    if (input.action === "credit") {
      if (transfer.invoice === null || transfer.status !== "late" || amount === null) {
        throw new BillingError("invalid_state", "only a late USDC transfer to a known invoice can be credited");
      }
      await tx.billingAccount.upsert({
        where: { userId: transfer.invoice.userId },
        create: { userId: transfer.invoice.userId, usdcCredit: amount },
        update: { usdcCredit: { increment: amount } },
      });
      await recordBillingEvent(tx, {
        userId: transfer.invoice.userId,
        type: "usdc.credit",
        message: `An admin credited a late transfer of ${formatUsdc(amount)} to your account: ${input.note}`,
        data: { transfer: transfer.id },
        actorUserId: input.adminId,
      });
    }
    await input.audit?.(tx, transfer.invoice?.userId ?? null);
    return tx.usdcTransfer.update({
      where: { id: transfer.id },
      data: {
        status: "resolved",
        note: `${input.action}: ${input.note}`,
        resolvedById: input.adminId,
        resolvedAt: new Date(),
      },
    });
  });
}
