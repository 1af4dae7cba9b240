import type { ApprovalActor } from "@agentbot/contracts";
import type { DbOrTx } from "@agentbot/db";
import { HttpError } from "../http/http-error.ts";

/** How recent a password re-authentication must be to approve a Destructive command. */
export const REAUTHENTICATION_WINDOW_MS = 5 * 60_000;
/** A timestamp this far in the future is still believed (clocks of the web app and the database disagree a little). */
const CLOCK_SKEW_MS = 30_000;

/** When the user last confirmed their password (`users.reauthenticated_at`, set by the web app); null: never. */
export async function readReauthenticatedAt(db: DbOrTx, userId: string): Promise<Date | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { reauthenticatedAt: true } });
  return user?.reauthenticatedAt ?? null;
}

/**
 * Throws 403 `reauthentication_required` unless `actor` is a person who typed their password again within the last
 * 5 minutes. An API key never passes: it cannot re-authenticate, and the session's re-authentication must not lend
 * itself to a script holding the owner's key.
 *
 * What it does not cover: it trusts the web app to set `reauthenticated_at` only after checking the password, and to
 * say truthfully whether the caller is a session or an API key (the service token is the boundary).
 */
export async function assertRecentReauthentication(
  db: DbOrTx,
  input: { readonly userId: string; readonly actor: ApprovalActor; readonly now: Date; readonly what: string },
): Promise<void> {
  if (input.actor.via === "api_key") {
    throw new HttpError(
      403,
      "reauthentication_required",
      `${input.what} needs your password typed again, which an API key cannot do: approve it in the dashboard (or deny it here).`,
    );
  }
  const at = await readReauthenticatedAt(db, input.userId);
  const age = at === null ? Number.POSITIVE_INFINITY : input.now.getTime() - at.getTime();
  if (age > REAUTHENTICATION_WINDOW_MS || age < -CLOCK_SKEW_MS) {
    throw new HttpError(
      403,
      "reauthentication_required",
      `${input.what} needs your password confirmed within the last 5 minutes: enter it again, then approve.`,
      { reauthenticatedAt: at?.toISOString() ?? null, windowSeconds: REAUTHENTICATION_WINDOW_MS / 1000 },
    );
  }
}
