// API keys for scripts: created by a signed-in person with a name, scopes and an optional expiry; the raw key is
// returned once (prefix `agb_`), the database keeps its SHA-256 hash and first characters; listed with last use;
// revoked by deletion. Only the owner lists or revokes a key: every query is bound to the principal's user id.
import { z } from "zod";
import { AuditActions } from "./audit.ts";
import { headersOf } from "./client-ip.ts";
import { AuthError, parseInput } from "./errors.ts";
import { requireSession } from "./principal.ts";
import type { Principal } from "./principal.ts";
import { permissionsToScopes, ScopeSchema, scopesForRole, scopesToPermissions } from "./scopes.ts";
import type { Scope } from "./scopes.ts";
import type { BetterAuthInstance } from "./create-auth.ts";
import type { AuthRuntime } from "./runtime.ts";

export const CreateApiKeyInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(64, "must be at most 64 characters"),
  scopes: z
    .array(ScopeSchema)
    .min(1, "choose at least one scope")
    .refine((scopes) => new Set(scopes).size === scopes.length, "lists a scope twice"),
  /** Days until the key stops working; omit or null for a key that does not expire. */
  expiresInDays: z.number().int().min(1).max(365).nullish(),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInput>;

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The first characters (`agb_` + 6), to recognise the key in a list. */
  readonly start: string | null;
  readonly scopes: Scope[];
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The whole key. Shown to the person once; it cannot be read again. */
  readonly key: string;
}

const columns = {
  id: true,
  name: true,
  start: true,
  permissions: true,
  expiresAt: true,
  createdAt: true,
  lastRequest: true,
} as const;

function toView(row: {
  id: string;
  name: string | null;
  start: string | null;
  permissions: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastRequest: Date | null;
}): ApiKeyView {
  let permissions: unknown;
  try {
    permissions = row.permissions ? JSON.parse(row.permissions) : null;
  } catch {
    permissions = null;
  }
  return {
    id: row.id,
    name: row.name ?? "",
    start: row.start,
    scopes: [...permissionsToScopes(permissions)],
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    lastUsedAt: row.lastRequest,
  };
}

export async function createApiKey(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  principal: Principal | null,
  input: CreateApiKeyInput,
  request?: Request | Headers,
): Promise<CreatedApiKey> {
  requireSession(principal);
  const { name, scopes, expiresInDays } = parseInput(CreateApiKeyInput, input);
  // A key never exceeds its creator's rights (and is narrowed again at every use).
  const allowed = scopesForRole(principal.user);
  const refused = scopes.flatMap((scope, index) =>
    allowed.has(scope) ? [] : [{ path: `scopes.${index}`, message: `you do not hold "${scope}"` }],
  );
  if (refused.length > 0) throw new AuthError("forbidden", "A key cannot have a scope you do not hold.", refused);

  const created = await auth.api.createApiKey({
    body: {
      userId: principal.user.id,
      name,
      permissions: scopesToPermissions(scopes),
      ...(expiresInDays ? { expiresIn: expiresInDays * 24 * 60 * 60 } : {}),
    },
  });
  const view: ApiKeyView = {
    id: created.id,
    name,
    start: created.start ?? null,
    scopes,
    expiresAt: created.expiresAt ? new Date(created.expiresAt) : null,
    createdAt: new Date(created.createdAt),
    lastUsedAt: null,
  };
  await rt.audit({
    action: AuditActions.apiKeyCreated,
    actorUserId: principal.user.id,
    actorEmail: principal.user.email,
    subjectUserId: principal.user.id,
    targetType: "api_key",
    targetId: created.id,
    metadata: { name, scopes, start: view.start, expiresAt: view.expiresAt?.toISOString() ?? null },
    ...rt.meta(headersOf(request)),
  });
  return { ...view, key: created.key };
}

/** The principal's keys, newest first. Never the key or its hash. */
export async function listApiKeys(rt: AuthRuntime, principal: Principal | null): Promise<ApiKeyView[]> {
  requireSession(principal);
  const rows = await rt.db.apiKey.findMany({
    where: { referenceId: principal.user.id },
    orderBy: { createdAt: "desc" },
    select: columns,
  });
  return rows.map(toView);
}

const RevokeApiKeyInput = z.strictObject({ keyId: z.string().min(1).max(64) });
export type RevokeApiKeyInput = z.input<typeof RevokeApiKeyInput>;

/** Deletes one of the principal's keys; another user's key id is `not_found`, exactly like an unknown one. */
export async function revokeApiKey(
  rt: AuthRuntime,
  principal: Principal | null,
  input: RevokeApiKeyInput,
  request?: Request | Headers,
): Promise<void> {
  requireSession(principal);
  const { keyId } = parseInput(RevokeApiKeyInput, input);
  const key = await rt.db.apiKey.findFirst({ where: { id: keyId, referenceId: principal.user.id }, select: columns });
  const { count } = await rt.db.apiKey.deleteMany({ where: { id: keyId, referenceId: principal.user.id } });
  if (count === 0 || !key)
    throw new AuthError("not_found", "No such API key.", [{ path: "keyId", message: "not found" }]);
  await rt.audit({
    action: AuditActions.apiKeyRevoked,
    actorUserId: principal.user.id,
    actorEmail: principal.user.email,
    subjectUserId: principal.user.id,
    targetType: "api_key",
    targetId: keyId,
    metadata: { name: key.name, start: key.start },
    ...rt.meta(headersOf(request)),
  });
}
