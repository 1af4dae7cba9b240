import "server-only";
import type { ActionState } from "../lib/account-views.ts";
import { isAuthError } from "./auth.ts";

/**
 * A server action's failure as form state: @agentbot/auth's errors carry a message for people and the fields they
 * concern; anything else is logged and answered with a generic message (no internals reach the browser).
 */
export function actionError(error: unknown, what: string): ActionState {
  if (isAuthError(error)) {
    const fields = Object.fromEntries(
      error.fields.map((field) => [field.path.split(".")[0] ?? field.path, field.message]),
    );
    return { ok: false, message: error.message, fields };
  }
  console.error(`[web] ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  return { ok: false, message: "Something went wrong. Please try again." };
}
