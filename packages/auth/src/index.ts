// @agentbot/auth: accounts on better-auth. Sign-up with a bot check, email verification, sign-in, sessions in
// Redis, password reset, roles, scoped API keys, the audit log. See README.md.
import type { AltchaChallenge } from "@agentbot/bot-check";
import * as adminUsers from "./admin-users.ts";
import * as apiKeys from "./api-keys.ts";
import { listAuditEvents, recordAuditEvent } from "./audit.ts";
import type { AuditEventPage, RecordAuditEventInput } from "./audit.ts";
import { AUTH_BASE_PATH } from "./constants.ts";
import { createAuthCore } from "./create-auth.ts";
import type { BetterAuthInstance, CreateAuthDeps } from "./create-auth.ts";
import { assertSameOrigin } from "./csrf.ts";
import { AuthError } from "./errors.ts";
import { authenticate, requireScope, requireSession } from "./principal.ts";
import type { Principal } from "./principal.ts";
import * as sessions from "./sessions.ts";
import * as reauthentication from "./reauthentication.ts";

export { AuditActions, listAuditEvents, recordAuditEvent } from "./audit.ts";
export type {
  AuditAction,
  AuditEventPage,
  AuditEventView,
  ListAuditEventsInput,
  RecordAuditEventInput,
} from "./audit.ts";
export { AuthError, InsufficientScopeError } from "./errors.ts";
export type { AuthErrorCode, FieldError } from "./errors.ts";
export { assertSameOrigin, carriesApiKey } from "./csrf.ts";
export { clientIp, requestMeta } from "./client-ip.ts";
export type { RequestMeta } from "./client-ip.ts";
export { AuthConfigSchema, defaultRateLimits } from "./config.ts";
export type { AuthConfigInput, RateLimitName, RateLimitRule } from "./config.ts";
export { API_KEY_PREFIX, AUTH_BASE_PATH } from "./constants.ts";
export { BOT_CHECK_HEADER } from "./endpoint-hooks.ts";
export { AUTH_ROUTES, MAX_AUTH_BODY_BYTES } from "./handler.ts";
export { checkPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy.ts";
export type { PasswordVerdict } from "./password-policy.ts";
export { extractApiKey, requireScope, requireSession } from "./principal.ts";
export type { Principal, PrincipalUser } from "./principal.ts";
export { bypassesSubscriptionGate, isAdmin, ROLES, SCOPES, scopesForRole } from "./scopes.ts";
export type { Role, RoleHolder, Scope } from "./scopes.ts";
export { redactSecrets } from "./runtime.ts";
export type { AuthLogger } from "./runtime.ts";
export type { BetterAuthInstance, CreateAuthDeps } from "./create-auth.ts";
export type { ApiKeyView, CreatedApiKey } from "./api-keys.ts";
export type { SessionView } from "./sessions.ts";
export type { AdminUserView } from "./admin-users.ts";

/**
 * Everything accounts need, wired together. `auth.handler` is what apps/web mounts at `/api/auth/[...all]`; the
 * helpers take the principal from `authenticateRequest` and, for changes, the request (for the audit log's IP and
 * user agent). Errors are `AuthError`s with `code`, `status` and `fields`.
 */
export function createAuth(deps: CreateAuthDeps) {
  const { rt, auth } = createAuthCore(deps);
  const { config } = rt;
  const allowedOrigins = config.allowedOrigins;

  return {
    /** The better-auth instance; `auth.handler(request)` answers `/api/auth/*` (allowlisted routes only). */
    auth,
    /** The session cookie's name (`__Secure-` prefixed with secure cookies), e.g. to clear it after logout. */
    sessionCookieName: `${config.secureCookies ? "__Secure-" : ""}agentbot.session_token`,
    basePath: AUTH_BASE_PATH,

    /** Session cookie or `Authorization: Bearer agb_…` / `x-api-key`; null when neither is valid (answer 401). */
    authenticateRequest: (request: Request | Headers): Promise<Principal | null> => authenticate(rt, auth, request),
    requireScope,
    requireSession,
    /** CSRF check for our own cookie-authenticated state-changing routes (see csrf.ts). */
    assertSameOrigin: (request: Request): void => assertSameOrigin(request, allowedOrigins),
    /** A proof-of-work challenge for the sign-up page (null with BotID). Serve with `Cache-Control: no-store`. */
    createBotChallenge: (): Promise<AltchaChallenge | null> => rt.botCheck.createChallenge(),

    sessions: {
      list: (principal: Principal | null) => sessions.listSessions(auth, principal),
      revoke: (principal: Principal | null, input: sessions.RevokeSessionInput, request?: Request | Headers) =>
        sessions.revokeSession(rt, auth, principal, input, request),
      revokeAll: (principal: Principal | null, request?: Request | Headers) =>
        sessions.revokeAllSessions(rt, auth, principal, request),
    },
    /** Confirms the signed-in person's password again (approving a Destructive command needs it within 5 min). */
    reauthenticate: (
      principal: Principal | null,
      input: reauthentication.ReauthenticateInput,
      request?: Request | Headers,
    ) => reauthentication.reauthenticate(rt, auth, principal, input, request),
    apiKeys: {
      create: (principal: Principal | null, input: apiKeys.CreateApiKeyInput, request?: Request | Headers) =>
        apiKeys.createApiKey(rt, auth, principal, input, request),
      list: (principal: Principal | null) => apiKeys.listApiKeys(rt, principal),
      revoke: (principal: Principal | null, input: apiKeys.RevokeApiKeyInput, request?: Request | Headers) =>
        apiKeys.revokeApiKey(rt, principal, input, request),
    },
    admin: {
      listUsers: (principal: Principal | null, input?: adminUsers.ListUsersInput) =>
        adminUsers.listUsers(rt, principal, input),
      setRole: (principal: Principal | null, input: adminUsers.SetUserRoleInput, request?: Request | Headers) =>
        adminUsers.setUserRole(rt, auth, principal, input, request),
      disableUser: (principal: Principal | null, input: adminUsers.DisableUserInput, request?: Request | Headers) =>
        adminUsers.disableUser(rt, auth, principal, input, request),
      enableUser: (principal: Principal | null, input: adminUsers.EnableUserInput, request?: Request | Headers) =>
        adminUsers.enableUser(rt, auth, principal, input, request),
    },

    /**
     * The audit log as the principal may see it: their own events, or everything with the `admin` scope (a session
     * of an admin, or an admin's key that has the scope).
     */
    listAuditEvents: (
      principal: Principal | null,
      input: { filters?: Parameters<typeof listAuditEvents>[1]["filters"]; cursor?: string; limit?: number } = {},
    ): Promise<AuditEventPage> => {
      if (!principal) return Promise.reject(new AuthError("unauthenticated", "Sign in or send an API key."));
      const viewer = { id: principal.user.id, role: principal.scopes.has("admin") ? "admin" : "user" };
      return listAuditEvents(rt.db, { viewer, ...input });
    },
    recordAuditEvent: (input: RecordAuditEventInput) => recordAuditEvent(rt.db, input),

    /** Resolves when every email queued so far has been handed to the provider (tests, graceful shutdown). */
    settled: () => rt.settled(),
  };
}

export type Auth = ReturnType<typeof createAuth>;
export type { BetterAuthInstance as BetterAuth };
