// The admin panel's operations on accounts: list and search users, change a role, disable (ban, ending every
// session) and enable an account. Every call needs the `admin` scope (a session of an admin, or an admin's key with
// that scope) and every change is audited in the same transaction as the change itself.
import { Prisma, withTx } from "@agentbot/db";
import { z } from "zod";
import { AuditActions, recordAuditEvent } from "./audit.ts";
import { headersOf } from "./client-ip.ts";
import { AuthError, parseInput } from "./errors.ts";
import { requireScope } from "./principal.ts";
import type { Principal } from "./principal.ts";
import { RoleSchema } from "./scopes.ts";
import type { Role } from "./scopes.ts";
import type { BetterAuthInstance } from "./create-auth.ts";
import type { AuthRuntime } from "./runtime.ts";

export interface AdminUserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly emailVerified: boolean;
  readonly banned: boolean;
  readonly banReason: string | null;
  readonly plan: string | null;
  readonly subscriptionStatus: string;
  readonly createdAt: Date;
}

const userColumns = {
  id: true,
  email: true,
  name: true,
  role: true,
  emailVerified: true,
  banned: true,
  banReason: true,
  plan: true,
  subscriptionStatus: true,
  createdAt: true,
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof userColumns }>;

function toView(row: UserRow): AdminUserView {
  return { ...row, role: RoleSchema.safeParse(row.role).data ?? "user" };
}

export const ListUsersInput = z.strictObject({
  /** Matches email or name, case-insensitively. */
  search: z.string().trim().max(200).optional(),
  role: RoleSchema.optional(),
  banned: z.boolean().optional(),
  limit: z.number().int().min(1).max(100).default(50),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});
export type ListUsersInput = z.input<typeof ListUsersInput>;

export async function listUsers(
  rt: AuthRuntime,
  principal: Principal | null,
  input: ListUsersInput = {},
): Promise<{ users: AdminUserView[]; total: number }> {
  requireScope(principal, "admin");
  const { search, role, banned, limit, offset } = parseInput(ListUsersInput, input);
  const where: Prisma.UserWhereInput = {
    ...(search
      ? {
          OR: [
            { email: { contains: search, mode: "insensitive" } },
            { name: { contains: search, mode: "insensitive" } },
          ],
        }
      : {}),
    ...(role ? { role } : {}),
    ...(banned === undefined ? {} : { banned }),
  };
  const [rows, total] = await Promise.all([
    rt.db.user.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: offset,
      take: limit,
      select: userColumns,
    }),
    rt.db.user.count({ where }),
  ]);
  return { users: rows.map(toView), total };
}

const userId = z.string().min(1).max(64);
export const SetUserRoleInput = z.strictObject({ userId, role: RoleSchema });
export type SetUserRoleInput = z.input<typeof SetUserRoleInput>;
export const DisableUserInput = z.strictObject({ userId, reason: z.string().trim().max(500).optional() });
export type DisableUserInput = z.input<typeof DisableUserInput>;
export const EnableUserInput = z.strictObject({ userId });
export type EnableUserInput = z.input<typeof EnableUserInput>;

const notFound = () => new AuthError("not_found", "No such user.", [{ path: "userId", message: "not found" }]);

/** Admins who can still act: the last one may not be demoted or disabled. */
async function otherActiveAdmins(tx: Prisma.TransactionClient, exceptUserId: string): Promise<number> {
  return tx.user.count({ where: { role: "admin", banned: false, id: { not: exceptUserId } } });
}

const serializable = { isolationLevel: Prisma.TransactionIsolationLevel.Serializable };

/**
 * Promote or demote. Refuses to demote the last admin (`last_admin`) and to demote an ADMIN_EMAILS address (it
 * would be promoted again at its next sign-in: remove it from ADMIN_EMAILS first).
 */
export async function setUserRole(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  input: SetUserRoleInput,
  request?: Request | Headers,
): Promise<AdminUserView> {
  requireScope(principal, "admin");
  const { userId: targetId, role } = parseInput(SetUserRoleInput, input);
  const meta = rt.meta(headersOf(request));
  const updated = await withTx(
    rt.db,
    async (tx) => {
      const target = await tx.user.findUnique({ where: { id: targetId }, select: userColumns });
      if (!target) throw notFound();
      if (target.role === role) return target;
      if (role !== "admin") {
        if (rt.config.adminEmails.includes(target.email.toLowerCase())) {
          throw new AuthError(
            "forbidden",
            "This address is listed in ADMIN_EMAILS and would become admin again at its next sign-in. Remove it there first.",
            [{ path: "userId", message: "listed in ADMIN_EMAILS" }],
          );
        }
        if (target.role === "admin" && (await otherActiveAdmins(tx, target.id)) === 0) {
          throw new AuthError("last_admin", "This is the last admin; promote someone else first.", [
            { path: "role", message: "cannot demote the last admin" },
          ]);
        }
      }
      const row = await tx.user.update({ where: { id: targetId }, data: { role }, select: userColumns });
      await recordAuditEvent(tx, {
        action: AuditActions.roleChanged,
        actorUserId: principal.user.id,
        actorEmail: principal.user.email,
        subjectUserId: targetId,
        targetType: "user",
        targetId,
        metadata: { from: target.role, to: role, via: principal.via },
        ...meta,
      });
      return row;
    },
    serializable,
  );
  await refreshCachedSessions(auth, targetId);
  return toView(updated);
}

/** Disables an account: it cannot sign in, its sessions end now and its API keys stop working. */
export async function disableUser(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  input: DisableUserInput,
  request?: Request | Headers,
): Promise<AdminUserView> {
  requireScope(principal, "admin");
  const { userId: targetId, reason } = parseInput(DisableUserInput, input);
  if (targetId === principal.user.id) {
    throw new AuthError("forbidden", "You cannot disable your own account.", [
      { path: "userId", message: "is your own account" },
    ]);
  }
  const meta = rt.meta(headersOf(request));
  const updated = await withTx(
    rt.db,
    async (tx) => {
      const target = await tx.user.findUnique({ where: { id: targetId }, select: userColumns });
      if (!target) throw notFound();
      if (target.banned) return target;
      if (target.role === "admin" && (await otherActiveAdmins(tx, target.id)) === 0) {
        throw new AuthError("last_admin", "This is the last admin; it cannot be disabled.");
      }
      const row = await tx.user.update({
        where: { id: targetId },
        data: { banned: true, banReason: reason ?? null, banExpires: null },
        select: userColumns,
      });
      await recordAuditEvent(tx, {
        action: AuditActions.accountDisabled,
        actorUserId: principal.user.id,
        actorEmail: principal.user.email,
        subjectUserId: targetId,
        targetType: "user",
        targetId,
        metadata: { reason: reason ?? null, via: principal.via },
        ...meta,
      });
      return row;
    },
    serializable,
  );
  const context = await auth.$context;
  await context.internalAdapter.deleteUserSessions(targetId);
  return toView(updated);
}

export async function enableUser(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  input: EnableUserInput,
  request?: Request | Headers,
): Promise<AdminUserView> {
  requireScope(principal, "admin");
  const { userId: targetId } = parseInput(EnableUserInput, input);
  const meta = rt.meta(headersOf(request));
  const updated = await withTx(rt.db, async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: userColumns });
    if (!target) throw notFound();
    if (!target.banned) return target;
    const row = await tx.user.update({
      where: { id: targetId },
      data: { banned: false, banReason: null, banExpires: null },
      select: userColumns,
    });
    await recordAuditEvent(tx, {
      action: AuditActions.accountEnabled,
      actorUserId: principal.user.id,
      actorEmail: principal.user.email,
      subjectUserId: targetId,
      targetType: "user",
      targetId,
      metadata: { via: principal.via },
      ...meta,
    });
    return row;
  });
  await refreshCachedSessions(auth, targetId);
  return toView(updated);
}

/** Sessions keep a copy of their user in Redis (what /get-session shows); bring it up to date. */
async function refreshCachedSessions(auth: BetterAuthInstance, userId: string): Promise<void> {
  const context = await auth.$context;
  await context.internalAdapter.updateUser(userId, { updatedAt: new Date() });
}
