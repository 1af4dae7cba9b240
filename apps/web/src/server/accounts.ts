import "server-only";
import { SubscriptionStatus } from "@agentbot/contracts";
import type { ApiScope, ListAdminUsersResponse } from "@agentbot/contracts";
import { PlanId } from "@agentbot/plans";
import { SCOPES } from "@agentbot/auth";
import type { ListAuditEventsInput, Principal } from "@agentbot/auth";
import type { ApiKeyView, AuditEventView, SessionView } from "../lib/account-views.ts";
import { describeDevice } from "../lib/describe-device.ts";
import { getAuth, isAuthError } from "./auth.ts";
import type { Viewer } from "./session.ts";

/**
 * The account pages' data, as plain views (ISO strings, no tokens or hashes) ready for client components. Every call
 * goes through @agentbot/auth with the viewer as principal, so ownership and role checks are the package's.
 */

export async function listMySessions(viewer: Viewer): Promise<SessionView[]> {
  const sessions = await getAuth().sessions.list(viewer);
  return sessions.map((session) => ({
    id: session.id,
    device: describeDevice(session.userAgent),
    userAgent: session.userAgent,
    ip: session.ipAddress,
    createdAt: session.createdAt.toISOString(),
    lastActiveAt: session.lastActiveAt.toISOString(),
    current: session.current,
  }));
}

export async function listMyApiKeys(viewer: Viewer): Promise<ApiKeyView[]> {
  const keys = await getAuth().apiKeys.list(viewer);
  const now = Date.now();
  return keys.map((key) => ({
    id: key.id,
    name: key.name,
    prefix: key.start ?? "agb_",
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    expired: key.expiresAt !== null && key.expiresAt.getTime() <= now,
  }));
}

/** The scopes the viewer may put on a key (`admin` only for admins), in the product's order. */
export function grantableScopes(viewer: Viewer): ApiScope[] {
  return SCOPES.filter((scope) => viewer.scopes.has(scope));
}

/**
 * Accounts as an admin sees them (the admin panel and `GET /api/v1/admin/users`): @agentbot/auth checks the `admin`
 * scope of `principal` (a session or an API key).
 */
export async function listUsersAsAdmin(
  principal: Principal,
  input: { search?: string | undefined; limit: number; offset: number },
): Promise<ListAdminUsersResponse> {
  const { users, total } = await getAuth().admin.listUsers(principal, {
    ...(input.search ? { search: input.search } : {}),
    limit: input.limit,
    offset: input.offset,
  });
  return {
    total,
    users: users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      emailVerified: user.emailVerified,
      createdAt: user.createdAt.toISOString(),
      banned: user.banned,
      // Values the contract does not know (a plan retired later, say) read as none rather than failing the page.
      plan: PlanId.safeParse(user.plan).data ?? null,
      subscriptionStatus: SubscriptionStatus.safeParse(user.subscriptionStatus).data ?? "none",
    })),
  };
}

type AuditFilters = NonNullable<ListAuditEventsInput["filters"]>;

/** Add a day to a `YYYY-MM-DD` "to" date, so the filter includes that whole day. */
function endOfDay(day: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

export async function listAuditEventsFor(
  viewer: Viewer,
  input: {
    scope: "own" | "all";
    cursor?: string | undefined;
    action?: string;
    actorEmail?: string;
    from?: string;
    to?: string;
  },
): Promise<{ events: AuditEventView[]; nextCursor: string | null; error?: string }> {
  const filters: AuditFilters = {
    ...(input.action ? { action: input.action } : {}),
    ...(input.actorEmail ? { actorEmail: input.actorEmail } : {}),
    ...(input.from ? { from: new Date(`${input.from}T00:00:00.000Z`) } : {}),
    ...(input.to ? { to: endOfDay(input.to) } : {}),
    // "My log" is about the viewer even for an admin, who would otherwise see everyone's events.
    ...(input.scope === "own" ? { subjectUserId: viewer.user.id } : {}),
  };
  let page;
  try {
    page = await getAuth().listAuditEvents(viewer, {
      filters,
      limit: 50,
      ...(input.cursor ? { cursor: input.cursor } : {}),
    });
  } catch (error) {
    // A filter the log cannot use (an action not shaped `area.thing.verb`, a bad cursor): say so, show nothing.
    if (isAuthError(error) && error.code === "validation_failed") {
      const fields = error.fields.map((field) => `${field.path} ${field.message}`).join("; ");
      return { events: [], nextCursor: null, error: `These filters cannot be used: ${fields}.` };
    }
    throw error;
  }
  return {
    nextCursor: page.nextCursor,
    events: page.events.map((event) => ({
      id: event.id,
      action: event.action,
      actorEmail: event.actorEmail,
      subjectUserId: event.subjectUserId,
      targetType: event.targetType,
      targetId: event.targetId,
      ip: event.ip,
      userAgent: event.userAgent,
      metadata: event.metadata,
      createdAt: event.createdAt.toISOString(),
    })),
  };
}
