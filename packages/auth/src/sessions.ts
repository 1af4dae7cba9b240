// A person's sessions: list them, end one, end all ("log out everywhere"). Only their own: every lookup starts from
// the principal's user id, never from an id the caller names.
import { z } from "zod";
import { AuditActions } from "./audit.ts";
import { headersOf } from "./client-ip.ts";
import { AuthError, parseInput } from "./errors.ts";
import { requireSession } from "./principal.ts";
import type { Principal } from "./principal.ts";
import type { BetterAuthInstance } from "./create-auth.ts";
import type { AuthRuntime } from "./runtime.ts";

export interface SessionView {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastActiveAt: Date;
  readonly expiresAt: Date;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  /** The session this request came with. */
  readonly current: boolean;
}

interface StoredSession {
  id: string;
  token: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  ipAddress?: string | null | undefined;
  userAgent?: string | null | undefined;
}

async function activeSessions(auth: BetterAuthInstance, userId: string): Promise<StoredSession[]> {
  const context = await auth.$context;
  const sessions = (await context.internalAdapter.listSessions(userId)) as StoredSession[];
  const now = Date.now();
  return sessions.filter((session) => new Date(session.expiresAt).getTime() > now);
}

export async function listSessions(auth: BetterAuthInstance, principal: Principal | null): Promise<SessionView[]> {
  requireSession(principal);
  const sessions = await activeSessions(auth, principal.user.id);
  return sessions
    .map((session) => ({
      id: session.id,
      createdAt: new Date(session.createdAt),
      lastActiveAt: new Date(session.updatedAt),
      expiresAt: new Date(session.expiresAt),
      ipAddress: session.ipAddress || null,
      userAgent: session.userAgent || null,
      current: session.id === principal.sessionId,
    }))
    .sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
}

const RevokeSessionInput = z.strictObject({ sessionId: z.string().min(1).max(64) });
export type RevokeSessionInput = z.input<typeof RevokeSessionInput>;

/** Ends one of the principal's sessions. Another user's session id is `not_found`, exactly like an unknown one. */
export async function revokeSession(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  input: RevokeSessionInput,
  request?: Request | Headers,
): Promise<void> {
  requireSession(principal);
  const { sessionId } = parseInput(RevokeSessionInput, input);
  const session = (await activeSessions(auth, principal.user.id)).find((candidate) => candidate.id === sessionId);
  if (!session) throw new AuthError("not_found", "No such session.", [{ path: "sessionId", message: "not found" }]);
  const context = await auth.$context;
  await context.internalAdapter.deleteSession(session.token);
  await rt.audit({
    action: AuditActions.sessionRevoked,
    actorUserId: principal.user.id,
    actorEmail: principal.user.email,
    subjectUserId: principal.user.id,
    targetType: "session",
    targetId: session.id,
    metadata: { current: session.id === principal.sessionId },
    ...rt.meta(headersOf(request)),
  });
}

/**
 * Log out everywhere: ends every session of the principal's user, this one included (the web then clears the
 * cookie). API keys are not sessions and keep working; revoke them separately.
 */
export async function revokeAllSessions(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  request?: Request | Headers,
): Promise<{ revoked: number }> {
  requireSession(principal);
  const context = await auth.$context;
  const sessions = await activeSessions(auth, principal.user.id);
  await context.internalAdapter.deleteUserSessions(principal.user.id);
  // Also by token, in case the per-user list missed one (it is rebuilt on every login).
  await context.internalAdapter.deleteSessions(sessions.map((session) => session.token));
  await rt.audit({
    action: AuditActions.logoutEverywhere,
    actorUserId: principal.user.id,
    actorEmail: principal.user.email,
    subjectUserId: principal.user.id,
    metadata: { sessions: sessions.length },
    ...rt.meta(headersOf(request)),
  });
  return { revoked: sessions.length };
}
