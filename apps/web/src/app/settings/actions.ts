"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import type { CreateApiKeyState } from "../../components/settings/create-api-key-form.tsx";
import type { ActionState } from "../../lib/account-views.ts";
import { CreateApiKeyForm, expiresInSeconds } from "../../lib/api-key-form.ts";
import { actionError } from "../../server/action-errors.ts";
import { getAuth } from "../../server/auth.ts";
import { getViewer } from "../../server/session.ts";
import { formText } from "../../lib/form-text.ts";

/**
 * The settings page's server actions. Next.js refuses a server action whose Origin is not this host (CSRF), and the
 * session cookie is SameSite=Lax; every action also re-reads the session, so a stale page cannot act for anyone.
 */

const signedOut: ActionState = { ok: false, message: "Your session has ended. Sign in again." };

export async function createApiKeyAction(_state: CreateApiKeyState, data: FormData): Promise<CreateApiKeyState> {
  const viewer = await getViewer();
  if (viewer === null) return signedOut;
  const parsed = CreateApiKeyForm.safeParse({
    name: data.get("name") ?? "",
    scopes: data.getAll("scopes"),
    expiresIn: data.get("expiresIn") ?? "",
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, message: "Check the highlighted fields.", fields };
  }
  const seconds = expiresInSeconds(parsed.data.expiresIn);
  try {
    const created = await getAuth().apiKeys.create(
      viewer,
      {
        name: parsed.data.name,
        scopes: parsed.data.scopes,
        expiresInDays: seconds === null ? null : seconds / 86_400,
      },
      await headers(),
    );
    revalidatePath("/settings");
    return { ok: true, created: { name: created.name, key: created.key } };
  } catch (error) {
    return actionError(error, "creating an API key");
  }
}

export async function revokeApiKeyAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null) return signedOut;
  try {
    await getAuth().apiKeys.revoke(viewer, { keyId: formText(data, "keyId") }, await headers());
  } catch (error) {
    return actionError(error, "revoking an API key");
  }
  revalidatePath("/settings");
  return { ok: true, message: "Key revoked." };
}

export async function revokeSessionAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null) return signedOut;
  const sessionId = formText(data, "sessionId");
  try {
    await getAuth().sessions.revoke(viewer, { sessionId }, await headers());
  } catch (error) {
    return actionError(error, "revoking a session");
  }
  if (sessionId === viewer.sessionId) await signedOutOfThisBrowser("/sign-in");
  revalidatePath("/settings");
  return { ok: true, message: "Session revoked." };
}

/** Log out everywhere: every session of the account ends, this one included. API keys keep working. */
export async function revokeAllSessionsAction(): Promise<void> {
  const viewer = await getViewer();
  if (viewer === null) redirect("/sign-in");
  await getAuth().sessions.revokeAll(viewer, await headers());
  await signedOutOfThisBrowser("/sign-in?notice=signed-out-everywhere");
}

/** The session behind this browser's cookie is gone: drop the cookie too, and go to sign-in. */
async function signedOutOfThisBrowser(to: "/sign-in" | "/sign-in?notice=signed-out-everywhere"): Promise<never> {
  (await cookies()).delete(getAuth().sessionCookieName);
  redirect(to);
}
