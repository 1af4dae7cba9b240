import { newId, withTx } from "@agentbot/db";
import type { Db, Tx } from "@agentbot/db";
import { getPlan } from "@agentbot/plans";
import type { PlanId } from "@agentbot/plans";
import { BillingError } from "../errors.ts";
import { recordBillingEvent } from "../store/billing-events.ts";
import { refreshEntitlement } from "../store/refresh-entitlement.ts";

/**
 * An admin grants (or overrides) a user's plan, with a reason, from now until `endsAt` (or until revoked). It wins
 * over the payment providers while in force. The caller writes the audit event; this writes the billing log.
 */
export async function grantPlan(
  db: Db,
  input: {
    readonly userId: string;
    readonly plan: PlanId;
    readonly endsAt: Date | null;
    readonly reason: string;
    readonly adminId: string;
    readonly now?: Date;
    /** Runs inside the transaction (the caller's audit event, so the change and its audit commit together). */
    readonly audit?: (tx: Tx, subjectUserId: string) => Promise<void>;
  },
) {
  const now = input.now ?? new Date();
  if (input.endsAt !== null && input.endsAt <= now) {
    throw new BillingError("invalid_state", "a grant must end in the future (or not at all)");
  }
  return withTx(db, async (tx) => {
    const grant = await tx.planGrant.create({
      data: {
        id: newId("planGrant"),
        userId: input.userId,
        plan: input.plan,
        startsAt: now,
        endsAt: input.endsAt,
        reason: input.reason,
        grantedById: input.adminId,
      },
    });
    await recordBillingEvent(tx, {
      userId: input.userId,
      type: "grant.created",
      message: `An admin granted ${getPlan(input.plan).name}${input.endsAt ? ` until ${input.endsAt.toISOString()}` : ""}: ${input.reason}`,
      data: { grant: grant.id, plan: input.plan, endsAt: input.endsAt },
      actorUserId: input.adminId,
    });
    await refreshEntitlement(tx, input.userId, now, { reason: "admin grant", actorUserId: input.adminId });
    await input.audit?.(tx, input.userId);
    return grant;
  });
}

export async function revokePlanGrant(
  db: Db,
  input: {
    readonly grantId: string;
    readonly adminId: string;
    readonly reason: string;
    readonly now?: Date;
    readonly audit?: (tx: Tx, subjectUserId: string) => Promise<void>;
  },
) {
  const now = input.now ?? new Date();
  return withTx(db, async (tx) => {
    const grant = await tx.planGrant.findUnique({ where: { id: input.grantId } });
    if (grant === null || grant.revokedAt !== null) throw new BillingError("not_found", "no such grant in force");
    const revoked = await tx.planGrant.update({
      where: { id: grant.id },
      data: { revokedAt: now, revokedById: input.adminId },
    });
    await recordBillingEvent(tx, {
      userId: grant.userId,
      type: "grant.revoked",
      message: `An admin revoked the ${getPlan(grant.plan as PlanId).name} grant: ${input.reason}`,
      data: { grant: grant.id },
      actorUserId: input.adminId,
    });
    await refreshEntitlement(tx, grant.userId, now, { reason: "admin revoked grant", actorUserId: input.adminId });
    await input.audit?.(tx, grant.userId);
    return revoked;
  });
}
