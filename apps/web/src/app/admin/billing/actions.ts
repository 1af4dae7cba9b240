"use server";

import { recordAuditEvent } from "@agentbot/auth";
import { BillingError, grantPlan, resendReceipt, resolveUsdcTransfer, revokePlanGrant } from "@agentbot/billing";
import { PlanId } from "@agentbot/plans";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "../../../lib/account-views.ts";
import { services } from "../../../server/infra.ts";
import { getViewer } from "../../../server/session.ts";

/**
 * Admin billing actions: grant or override a plan, revoke a grant, resolve a held USDC transfer, re-send a receipt.
 * Each re-checks that the caller is an admin (fresh from the database) and writes its audit event in the same
 * transaction as the change. Next.js refuses cross-origin server action calls.
 */

/** A text field of the form, or `fallback` when it is absent (a file upload in its place counts as absent). */
function formText(data: FormData, name: string, fallback: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : fallback;
}

const notAllowed: ActionState = { ok: false, message: "Only a signed-in admin can do this." };

function fail(error: unknown, what: string): ActionState {
  if (error instanceof BillingError) return { ok: false, message: error.message };
  console.error(`[web] ${what} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "unknown"}`);
  return { ok: false, message: "Something went wrong. Please try again." };
}

const GrantForm = z.object({
  email: z.email("Enter the user's email address."),
  plan: PlanId,
  days: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.coerce.number().int().min(1, "At least one day.").max(3650).optional(),
  ),
  reason: z.string().trim().min(3, "Say why (at least 3 characters).").max(500),
});

export async function grantPlanAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) return notAllowed;
  const parsed = GrantForm.safeParse({
    email: data.get("email"),
    plan: data.get("plan"),
    days: data.get("days"),
    reason: data.get("reason"),
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, message: "Check the highlighted fields.", fields };
  }
  const { db } = services();
  const user = await db.user.findUnique({ where: { email: parsed.data.email.toLowerCase() }, select: { id: true } });
  if (user === null) return { ok: false, message: "No account has that email.", fields: { email: "No such account." } };
  const endsAt = parsed.data.days === undefined ? null : new Date(Date.now() + parsed.data.days * 86_400_000);
  try {
    await grantPlan(db, {
      userId: user.id,
      plan: parsed.data.plan,
      endsAt,
      reason: parsed.data.reason,
      adminId: viewer.user.id,
      audit: (tx, subjectUserId) =>
        recordAuditEvent(tx, {
          action: "admin.billing.plan_granted",
          actorUserId: viewer.user.id,
          actorEmail: viewer.user.email,
          subjectUserId,
          targetType: "user",
          targetId: subjectUserId,
          metadata: { plan: parsed.data.plan, endsAt, reason: parsed.data.reason },
        }).then(() => undefined),
    });
  } catch (error) {
    return fail(error, "granting a plan");
  }
  revalidatePath("/admin/billing");
  return { ok: true, message: `Granted ${parsed.data.plan} to ${parsed.data.email}.` };
}

export async function revokeGrantAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) return notAllowed;
  const grantId = formText(data, "grantId", "");
  try {
    await revokePlanGrant(services().db, {
      grantId,
      adminId: viewer.user.id,
      reason: formText(data, "reason", "revoked from the admin panel"),
      audit: (tx, subjectUserId) =>
        recordAuditEvent(tx, {
          action: "admin.billing.grant_revoked",
          actorUserId: viewer.user.id,
          actorEmail: viewer.user.email,
          subjectUserId,
          targetType: "plan_grant",
          targetId: grantId,
        }).then(() => undefined),
    });
  } catch (error) {
    return fail(error, "revoking a grant");
  }
  revalidatePath("/admin/billing");
  return { ok: true, message: "Grant revoked." };
}

export async function resolveTransferAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) return notAllowed;
  const action = z.enum(["credit", "dismiss"]).safeParse(data.get("action"));
  const note = formText(data, "note", "").trim();
  if (!action.success) return { ok: false, message: "Choose credit or dismiss." };
  if (note.length < 3)
    return { ok: false, message: "Add a note saying why.", fields: { note: "At least 3 characters." } };
  const transferId = formText(data, "transferId", "");
  try {
    await resolveUsdcTransfer(services().db, {
      transferId,
      action: action.data,
      note,
      adminId: viewer.user.id,
      audit: (tx, subjectUserId) =>
        recordAuditEvent(tx, {
          action: "admin.billing.transfer_resolved",
          actorUserId: viewer.user.id,
          actorEmail: viewer.user.email,
          subjectUserId,
          targetType: "usdc_transfer",
          targetId: transferId,
          metadata: { action: action.data, note },
        }).then(() => undefined),
    });
  } catch (error) {
    return fail(error, "resolving a transfer");
  }
  revalidatePath("/admin/billing");
  return { ok: true, message: action.data === "credit" ? "Credited to the user's account." : "Dismissed." };
}

export async function resendReceiptAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) return notAllowed;
  const taskId = formText(data, "taskId", "");
  try {
    await resendReceipt(services().db, {
      taskId,
      audit: (tx, subjectUserId) =>
        recordAuditEvent(tx, {
          action: "admin.billing.receipt_resent",
          actorUserId: viewer.user.id,
          actorEmail: viewer.user.email,
          subjectUserId,
          targetType: "billing_task",
          targetId: taskId,
        }).then(() => undefined),
    });
  } catch (error) {
    return fail(error, "re-sending a receipt");
  }
  revalidatePath("/admin/billing");
  return { ok: true, message: "Receipt queued again." };
}
