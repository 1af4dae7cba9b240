// Password re-authentication for actions that must be confirmed by the person, not by whoever holds an open tab:
// approving a Destructive command. A correct password stamps `users.reauthenticated_at`; the backend accepts such
// an approval only within 5 minutes of it (apps/backend/src/approvals/reauthentication.ts).
import { z } from "zod";
import { AuditActions } from "./audit.ts";
import { headersOf } from "./client-ip.ts";
import { AuthError, parseInput } from "./errors.ts";
import { requireSession } from "./principal.ts";
import type { Principal } from "./principal.ts";
import type { BetterAuthInstance } from "./create-auth.ts";
import type { AuthRuntime } from "./runtime.ts";

const ReauthenticateInput = z.strictObject({
  password: z.string("is required").min(1, "is required").max(1024, "is too long"),
});
export type ReauthenticateInput = z.input<typeof ReauthenticateInput>;

interface CredentialAccount {
  providerId: string;
  password?: string | null;
}

/**
 * Checks the signed-in person's password again and, when it is right, records when (`reauthenticatedAt`). Only a
 * session can (an API key is `forbidden`); attempts are rate limited per user, so an open tab cannot be used to guess
 * the password; a wrong one is `validation_failed` on `password`. Both outcomes are audited.
 *
 * What it does not cover: accounts without a password (none today: sign-up is email and password only) cannot
 * re-authenticate, so they cannot approve Destructive commands.
 */
export async function reauthenticate(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  input: ReauthenticateInput,
  request?: Request | Headers,
): Promise<{ reauthenticatedAt: Date }> {
  requireSession(principal);
  const { password } = parseInput(ReauthenticateInput, input);
  const limit = await rt.limiters.reauthenticatePerUser.consume(principal.user.id);
  if (!limit.allowed) {
    const minutes = Math.max(1, Math.ceil(limit.retryAfterMs / 60_000));
    throw new AuthError("rate_limited", `Too many password attempts. Try again in ${minutes} min.`);
  }
  const context = await auth.$context;
  const accounts = (await context.internalAdapter.findAccounts(principal.user.id)) as CredentialAccount[];
  const hash = accounts.find((account) => account.providerId === "credential")?.password ?? null;
  const valid = hash !== null && (await context.password.verify({ hash, password }));
  const meta = rt.meta(headersOf(request));
  const audit = {
    actorUserId: principal.user.id,
    actorEmail: principal.user.email,
    subjectUserId: principal.user.id,
    ...meta,
  };
  if (!valid) {
    await rt.audit({ action: AuditActions.reauthenticationFailed, ...audit });
    throw new AuthError("validation_failed", "That password is not right.", [
      { path: "password", message: "is not right" },
    ]);
  }
  // Consecutive failures count: a right password clears them.
  await rt.limiters.reauthenticatePerUser.reset(principal.user.id);
  const reauthenticatedAt = new Date();
  await rt.db.user.update({ where: { id: principal.user.id }, data: { reauthenticatedAt } });
  await rt.audit({ action: AuditActions.reauthenticated, ...audit });
  return { reauthenticatedAt };
}
