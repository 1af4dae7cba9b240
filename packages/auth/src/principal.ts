// Who is calling: a signed-in person (session cookie) or a script (API key), with what it may do right now.
import { AuthError, InsufficientScopeError } from "./errors.ts";
import { intersectScopes, permissionsToScopes, RoleSchema, scopesForRole } from "./scopes.ts";
import type { Role, Scope } from "./scopes.ts";
import type { BetterAuthInstance } from "./create-auth.ts";
import { API_KEY_PREFIX, API_KEY_RANDOM_LENGTH } from "./constants.ts";
import type { AuthRuntime } from "./runtime.ts";

/** The user a principal acts for, read from the database when the request was authenticated. */
export interface PrincipalUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly emailVerified: boolean;
  readonly banned: boolean;
  readonly createdAt: Date;
}

export interface Principal {
  readonly user: PrincipalUser;
  readonly via: "session" | "api_key";
  /** What this principal may do: a session holds its role's scopes, a key its own scopes within the role's. */
  readonly scopes: ReadonlySet<Scope>;
  /** The session's id (never its token) when `via` is "session". */
  readonly sessionId?: string;
  /** The key's id (never the key) when `via` is "api_key". */
  readonly apiKeyId?: string;
}

const KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[A-Za-z]{${API_KEY_RANDOM_LENGTH}}$`);

/**
 * The API key a request carries: `Authorization: Bearer agb_…` or `x-api-key: agb_…`. `undefined` when it carries
 * none; `null` when it carries something in those headers that is not a well-formed key (refused, no cookie
 * fallback, so a broken script never silently runs as whoever's cookie is present).
 */
export function extractApiKey(headers: Headers): string | null | undefined {
  const authorization = headers.get("authorization");
  const header = headers.get("x-api-key");
  if (authorization === null && header === null) return undefined;
  const bearer = authorization === null ? null : /^bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const candidate = bearer ?? header?.trim() ?? null;
  return candidate && KEY_SHAPE.test(candidate) ? candidate : null;
}

function toPrincipalUser(row: {
  id: string;
  email: string;
  name: string;
  role: string;
  emailVerified: boolean;
  banned: boolean;
  createdAt: Date;
}): PrincipalUser {
  const role = RoleSchema.safeParse(row.role);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    // An unknown role in the database gets the least rights.
    role: role.success ? role.data : "user",
    emailVerified: row.emailVerified,
    banned: row.banned,
    createdAt: row.createdAt,
  };
}

export async function authenticate(
  rt: AuthRuntime,
  auth: BetterAuthInstance,
  input: Request | Headers,
): Promise<Principal | null> {
  const headers = input instanceof Headers ? input : input.headers;
  const key = extractApiKey(headers);
  if (key !== undefined) return key === null ? null : authenticateApiKey(rt, auth, key);

  const result = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
  if (!result) return null;
  const createdAt = new Date(result.session.createdAt).getTime();
  if (rt.config.now().getTime() >= createdAt + rt.config.sessionAbsoluteHours * 3_600_000) {
    const context = await auth.$context;
    await context.internalAdapter.deleteSession(result.session.token);
    return null;
  }
  // Fresh from the database: the role and ban state in the session's cached copy may be stale.
  const row = await rt.db.user.findUnique({ where: { id: result.user.id } });
  if (!row || row.banned || !row.emailVerified) return null;
  const user = toPrincipalUser(row);
  return { user, via: "session", scopes: scopesForRole(user), sessionId: result.session.id };
}

async function authenticateApiKey(rt: AuthRuntime, auth: BetterAuthInstance, key: string): Promise<Principal | null> {
  // better-auth hashes the key (SHA-256) and looks the hash up; disabled, expired and unknown keys are refused.
  const result = await auth.api.verifyApiKey({ body: { key } });
  if (!result.valid || !result.key) return null;
  const row = await rt.db.user.findUnique({ where: { id: result.key.referenceId } });
  if (!row || row.banned || !row.emailVerified) return null;
  const user = toPrincipalUser(row);
  // Checked at every use: a key never does more than its owner may do now.
  const scopes = intersectScopes(permissionsToScopes(result.key.permissions), scopesForRole(user));
  return { user, via: "api_key", scopes, apiKeyId: result.key.id };
}

/** Throws `unauthenticated` (401) without a principal and `insufficient_scope` (403) without the scope. */
export function requireScope(principal: Principal | null | undefined, scope: Scope): asserts principal is Principal {
  if (!principal) throw new AuthError("unauthenticated", "Sign in or send an API key.");
  if (!principal.scopes.has(scope)) throw new InsufficientScopeError(scope);
}

/** Throws unless the principal is a signed-in person (API keys cannot manage sessions or other keys). */
export function requireSession(principal: Principal | null | undefined): asserts principal is Principal & {
  via: "session";
  sessionId: string;
} {
  if (!principal) throw new AuthError("unauthenticated", "Sign in first.");
  if (principal.via !== "session" || !principal.sessionId) {
    throw new AuthError("forbidden", "This needs a signed-in session; API keys cannot do it.");
  }
}
