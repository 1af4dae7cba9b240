// What a principal may do. A session carries every right of its user's role; an API key carries the scopes chosen
// when it was created, narrowed at every use to what its owner may do NOW (so an admin key of a demoted admin has
// lost `admin`).
import { z } from "zod";

export const SCOPES = [
  "agents:read",
  "agents:write",
  "approvals:read",
  "approvals:write",
  "billing:read",
  "admin",
] as const;
export type Scope = (typeof SCOPES)[number];
export const ScopeSchema = z.enum(SCOPES);

export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** The user fields the role checks read. */
export interface RoleHolder {
  readonly role?: string | null;
  readonly banned?: boolean | null;
}

/** Whether the user is an admin (and not disabled). */
export function isAdmin(user: RoleHolder | null | undefined): boolean {
  return !!user && user.role === "admin" && user.banned !== true;
}

/**
 * The check the subscription gate calls (billing issue): admins may deploy agents without a subscription. Every use
 * of the bypass should be audited by the caller (`subscription_gate.bypassed`).
 */
export function bypassesSubscriptionGate(user: RoleHolder | null | undefined): boolean {
  return isAdmin(user);
}

/** Every scope a user of this role holds. */
export function scopesForRole(user: RoleHolder): Set<Scope> {
  const scopes = new Set<Scope>(["agents:read", "agents:write", "approvals:read", "approvals:write", "billing:read"]);
  if (isAdmin(user)) scopes.add("admin");
  return scopes;
}

// better-auth's api-key plugin stores permissions as a statement map (`{"agents":["read"]}`); scopes map onto it.
type Statements = Record<string, string[]>;

export function scopesToPermissions(scopes: Iterable<Scope>): Statements {
  const permissions: Statements = {};
  for (const scope of scopes) {
    const [resource, action] = scope === "admin" ? ["admin", "all"] : scope.split(":");
    if (!resource || !action) continue;
    (permissions[resource] ??= []).push(action);
  }
  return permissions;
}

/** The scopes in a stored permission map; anything unknown is dropped (fail closed). */
export function permissionsToScopes(permissions: unknown): Set<Scope> {
  const scopes = new Set<Scope>();
  if (typeof permissions !== "object" || permissions === null) return scopes;
  for (const [resource, actions] of Object.entries(permissions as Record<string, unknown>)) {
    if (!Array.isArray(actions)) continue;
    for (const action of actions) {
      const candidate = resource === "admin" && action === "all" ? "admin" : `${resource}:${String(action)}`;
      const parsed = ScopeSchema.safeParse(candidate);
      if (parsed.success) scopes.add(parsed.data);
    }
  }
  return scopes;
}

/** `requested ∩ allowed`, as a new set. */
export function intersectScopes(requested: Iterable<Scope>, allowed: ReadonlySet<Scope>): Set<Scope> {
  return new Set([...requested].filter((scope) => allowed.has(scope)));
}
