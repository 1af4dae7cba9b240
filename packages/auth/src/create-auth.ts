// createAuth: better-auth configured for Agentbot, plus the helpers the web app calls (sessions, API keys, admin,
// audit, request authentication). See README.md for what is covered and what is not.
import { apiKey } from "@better-auth/api-key";
import type { BotCheck } from "@agentbot/bot-check";
import { newId } from "@agentbot/db";
import type { Db, IdKind } from "@agentbot/db";
import {
  renderAccountExistsEmail,
  renderPasswordResetEmail,
  renderVerificationEmail,
  renderWelcomeEmail,
} from "@agentbot/email";
import type { EmailProvider } from "@agentbot/email";
import type { KeyValueStore } from "@agentbot/kv";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createEmailVerificationToken } from "better-auth/api";
import { betterAuth } from "better-auth/minimal";
import { admin } from "better-auth/plugins/admin";
import { AuditActions } from "./audit.ts";
import { parseConfig } from "./config.ts";
import { API_KEY_PREFIX, API_KEY_RANDOM_LENGTH, AUTH_BASE_PATH } from "./constants.ts";
import type { AuthConfigInput } from "./config.ts";
import { createEndpointHooks } from "./endpoint-hooks.ts";
import { createAuthHandler } from "./handler.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy.ts";
import { createRuntime } from "./runtime.ts";
import type { AuthLogger, AuthRuntime } from "./runtime.ts";
import { kvSecondaryStorage } from "./secondary-storage.ts";

export interface CreateAuthDeps {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly email: EmailProvider;
  readonly botCheck: BotCheck;
  readonly config: AuthConfigInput;
  /** Where log lines go (pino fits). Default: warnings and errors to the console. Secrets are redacted first. */
  readonly logger?: AuthLogger;
  /**
   * Keeps the process alive for work done after a response (email sends), e.g. Vercel's `waitUntil`. Work is also
   * tracked in-process (`settled()`).
   */
  readonly defer?: (task: Promise<unknown>) => void;
}

const modelIdKinds: Record<string, IdKind> = {
  user: "user",
  account: "account",
  session: "session",
  verification: "verification",
  apikey: "apiKey",
};

/** Messages better-auth logs at error level for ordinary refusals (see the logger below). */
const EXPECTED_REFUSALS = /^(Failed to validate API key|Invalid password)/;

function buildBetterAuth(rt: AuthRuntime) {
  const { config, db } = rt;
  const absoluteMs = config.sessionAbsoluteHours * 60 * 60 * 1000;
  const inactivitySeconds = config.sessionInactivityMinutes * 60;
  const hooks = createEndpointHooks(rt);
  const verificationUrl = (token: string) =>
    `${config.baseUrl}${AUTH_BASE_PATH}/verify-email?token=${encodeURIComponent(token)}&callbackURL=${encodeURIComponent("/verify-email")}`;
  const sendVerification = (user: { email: string; name: string }, token: string) =>
    rt.defer("verification email", () =>
      rt.email.send({ to: user.email, ...renderVerificationEmail({ name: user.name, url: verificationUrl(token) }) }),
    );

  return betterAuth({
    appName: "Agentbot",
    baseURL: config.baseUrl,
    basePath: AUTH_BASE_PATH,
    secret: config.secret,
    database: prismaAdapter(db, { provider: "postgresql" }),
    secondaryStorage: kvSecondaryStorage(rt.kv),
    trustedOrigins: [...config.allowedOrigins],
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      // better-auth reports ordinary refusals (a wrong password, an unknown API key) at error level; they are the
      // system working, recorded in the audit log and rate limited, so they go to info instead of alerting anyone.
      log: (level, message, ...args: unknown[]) =>
        rt.log(EXPECTED_REFUSALS.test(message) ? "info" : level, message, ...args),
    },
    // Refusals (4xx) become responses without being logged to the console; anything else is thrown to our handler,
    // which logs it through our (redacting) logger and answers 500.
    onAPIError: { throw: true },
    // Our own limits (per IP and per email, with Retry-After) run in the before hook instead.
    rateLimit: { enabled: false },
    user: { modelName: "user" },
    account: { modelName: "account", accountLinking: { enabled: false } },
    session: {
      expiresIn: inactivitySeconds,
      // Refresh at most every tenth of the window: the inactivity timeout is exact to within 10%.
      updateAge: Math.max(60, Math.floor(inactivitySeconds / 10)),
      cookieCache: { enabled: false },
    },
    verification: { storeIdentifier: "hashed" },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      autoSignIn: false,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: config.resetTokenMinutes * 60,
      sendResetPassword: async ({ user, token }) => {
        rt.defer("password reset email", () =>
          rt.email.send({
            to: user.email,
            ...renderPasswordResetEmail({
              name: user.name,
              url: `${config.baseUrl}/reset-password?token=${encodeURIComponent(token)}`,
              expiresInMinutes: config.resetTokenMinutes,
            }),
          }),
        );
        return Promise.resolve();
      },
      onPasswordReset: async ({ user }, request) => {
        await rt.audit({
          action: AuditActions.passwordResetCompleted,
          actorUserId: user.id,
          actorEmail: user.email,
          subjectUserId: user.id,
          metadata: { sessionsRevoked: true },
          ...rt.meta(request?.headers),
        });
      },
      // Sign-up with a registered address answers exactly like a new one; the owner gets an email instead.
      onExistingUserSignUp: async ({ user }, request) => {
        await rt.audit({
          action: AuditActions.signUpExistingEmail,
          actorEmail: user.email,
          subjectUserId: user.id,
          ...rt.meta(request?.headers),
        });
        if (!user.emailVerified) {
          const token = await createEmailVerificationToken(
            config.secret,
            user.email,
            undefined,
            config.verificationTokenMinutes * 60,
          );
          sendVerification(user, token);
          return;
        }
        rt.defer("account exists email", () =>
          rt.email.send({
            to: user.email,
            ...renderAccountExistsEmail({
              name: user.name,
              signInUrl: `${config.baseUrl}/sign-in`,
              resetPasswordUrl: `${config.baseUrl}/forgot-password`,
            }),
          }),
        );
      },
      customSyntheticUser: ({ coreFields, additionalFields, id }) => ({
        ...coreFields,
        role: "user",
        banned: false,
        banReason: null,
        banExpires: null,
        ...additionalFields,
        id,
      }),
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: false,
      autoSignInAfterVerification: false,
      expiresIn: config.verificationTokenMinutes * 60,
      sendVerificationEmail: async ({ user, token }) => {
        sendVerification(user, token);
        return Promise.resolve();
      },
      afterEmailVerification: async (user, request) => {
        await rt.audit({
          action: AuditActions.emailVerified,
          actorUserId: user.id,
          actorEmail: user.email,
          subjectUserId: user.id,
          ...rt.meta(request?.headers),
        });
        rt.defer("welcome email", () =>
          rt.email.send({
            to: user.email,
            ...renderWelcomeEmail({ name: user.name, dashboardUrl: `${config.baseUrl}/dashboard` }),
          }),
        );
      },
    },
    databaseHooks: {
      user: {
        create: {
          // ADMIN_EMAILS bootstrap. Harmless before verification: nobody signs in with an unverified address.
          before: async (user) =>
            Promise.resolve(
              config.adminEmails.includes(user.email.toLowerCase()) ? { data: { ...user, role: "admin" } } : undefined,
            ),
          after: async (user, ctx) => {
            await rt.audit({
              action: AuditActions.signUp,
              actorUserId: user.id,
              actorEmail: user.email,
              subjectUserId: user.id,
              ...rt.meta(ctx?.headers ?? ctx?.request?.headers),
            });
          },
        },
      },
      session: {
        create: {
          before: async (session, ctx) => {
            const meta = rt.meta(ctx?.headers ?? ctx?.request?.headers);
            await bootstrapAdminAtSignIn(rt, session.userId, meta);
            // The absolute lifetime: however often the session is refreshed, it ends this long after it began.
            const createdAt = new Date(session.createdAt ?? Date.now()).getTime();
            const expiresAt = Math.min(new Date(session.expiresAt).getTime(), createdAt + absoluteMs);
            return {
              data: {
                ...session,
                expiresAt: new Date(expiresAt),
                ipAddress: meta.ip ?? "",
                userAgent: meta.userAgent ?? "",
              },
            };
          },
        },
        update: {
          before: async (data, ctx) => {
            const current = ctx?.context.session?.session;
            if (!current || !data.expiresAt) return Promise.resolve();
            const cap = new Date(current.createdAt).getTime() + absoluteMs;
            if (new Date(data.expiresAt).getTime() <= cap) return Promise.resolve();
            return Promise.resolve({ data: { ...data, expiresAt: new Date(cap) } });
          },
        },
      },
    },
    hooks: { before: hooks.before, after: hooks.after },
    advanced: {
      useSecureCookies: config.secureCookies,
      cookiePrefix: "agentbot",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
      // Explicit: better-auth turns both off when NODE_ENV is "test", and our tests must see production behaviour.
      disableCSRFCheck: false,
      disableOriginCheck: false,
      // We record the client IP ourselves (client-ip.ts): better-auth's own header parsing is not our policy.
      ipAddress: { disableIpTracking: true },
      database: {
        generateId: ({ model }) => {
          const kind = modelIdKinds[model];
          if (!kind) throw new Error(`no id prefix for better-auth model "${model}"`);
          return newId(kind);
        },
      },
    },
    plugins: [
      admin({ defaultRole: "user", adminRoles: ["admin"] }),
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        defaultKeyLength: API_KEY_RANDOM_LENGTH,
        // `agb_` and 6 characters: enough to tell keys apart in a list, far too little to guess the rest.
        startingCharactersConfig: { shouldStore: true, charactersLength: API_KEY_PREFIX.length + 6 },
        requireName: true,
        maximumNameLength: 64,
        apiKeyHeaders: ["x-api-key"],
        enableSessionForAPIKeys: false,
        // The plugin's per-key counter would write a row per request and cap keys at 10 a day; our limits apply.
        rateLimit: { enabled: false },
        keyExpiration: { defaultExpiresIn: null, minExpiresIn: 1, maxExpiresIn: 365 },
        permissions: { defaultPermissions: {} },
        schema: { apikey: { modelName: "apiKey" } },
      }),
    ],
  });
}

export type BetterAuthInstance = ReturnType<typeof buildBetterAuth>;

/** Promotes a verified ADMIN_EMAILS address to admin when it signs in (and records that it did). */
async function bootstrapAdminAtSignIn(
  rt: AuthRuntime,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
) {
  if (rt.config.adminEmails.length === 0) return;
  const user = await rt.db.user.findUnique({ where: { id: userId } });
  if (!user || !user.emailVerified || user.role === "admin") return;
  if (!rt.config.adminEmails.includes(user.email.toLowerCase())) return;
  await rt.db.user.update({ where: { id: userId }, data: { role: "admin" } });
  await rt.audit({
    action: AuditActions.roleChanged,
    subjectUserId: user.id,
    targetType: "user",
    targetId: user.id,
    metadata: { from: user.role, to: "admin", reason: "ADMIN_EMAILS" },
    ...meta,
  });
}

export function createAuthCore(deps: CreateAuthDeps) {
  const config = parseConfig(deps.config);
  const rt = createRuntime({
    config,
    db: deps.db,
    kv: deps.kv,
    email: deps.email,
    botCheck: deps.botCheck,
    logger: deps.logger,
    defer: deps.defer,
  });
  const instance = buildBetterAuth(rt);
  const handler = createAuthHandler(instance.handler, rt);
  const auth: BetterAuthInstance = { ...instance, handler, fetch: handler };
  return { rt, auth };
}
