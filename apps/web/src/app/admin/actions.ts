"use server";

import { ROLES } from "@agentbot/auth";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "../../lib/account-views.ts";
import { actionError } from "../../server/action-errors.ts";
import { getAuth } from "../../server/auth.ts";
import { getViewer } from "../../server/session.ts";
import { formText } from "../../lib/form-text.ts";

/**
 * The admin panel's server actions. @agentbot/auth checks the admin scope again (the role is read fresh from the
 * database for every request), audits each change in the same transaction, and refuses to demote or disable the
 * last admin. Next.js refuses cross-origin server action calls.
 */

const notAllowed: ActionState = { ok: false, message: "Only a signed-in admin can do this." };

export async function setRoleAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) return notAllowed;
  const role = z.enum(ROLES).safeParse(data.get("role"));
  if (!role.success) return { ok: false, message: "Choose a role.", fields: { role: "Choose a role." } };
  try {
    const user = await getAuth().admin.setRole(
      viewer,
      { userId: formText(data, "userId"), role: role.data },
      await headers(),
    );
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is now ${user.role === "admin" ? "an admin" : "a user"}.` };
  } catch (error) {
    return actionError(error, "changing a role");
  }
}

/** Disables (ending every session, stopping its API keys) or enables an account. */
export async function setDisabledAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) return notAllowed;
  const userId = formText(data, "userId");
  const disable = data.get("disabled") === "true";
  try {
    const admin = getAuth().admin;
    const user = disable
      ? await admin.disableUser(viewer, { userId }, await headers())
      : await admin.enableUser(viewer, { userId }, await headers());
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is ${user.banned ? "disabled; its sessions ended" : "enabled"}.` };
  } catch (error) {
    return actionError(error, disable ? "disabling an account" : "enabling an account");
  }
}
