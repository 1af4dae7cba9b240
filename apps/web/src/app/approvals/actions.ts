"use server";

import { headers } from "next/headers";
import type { ActionState } from "../../lib/account-views.ts";
import { actionError } from "../../server/action-errors.ts";
import { getAuth } from "../../server/auth.ts";
import { getViewer } from "../../server/session.ts";

/**
 * Confirms the signed-in person's password before they approve a Destructive command: the backend accepts such an
 * approval only within 5 minutes of it. Next.js refuses a server action from another origin (CSRF); the session is
 * re-read here, so a stale page cannot act for anyone. A wrong password names the `password` field; repeated wrong
 * ones are rate limited per user.
 */
export async function reauthenticateAction(password: string): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null) return { ok: false, message: "Your session has ended. Sign in again." };
  try {
    await getAuth().reauthenticate(viewer, { password: typeof password === "string" ? password : "" }, await headers());
    return { ok: true };
  } catch (error) {
    return actionError(error, "re-authenticating");
  }
}
