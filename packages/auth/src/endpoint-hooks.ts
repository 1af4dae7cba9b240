// What we add in front of and behind better-auth's own endpoints: strict input validation with field errors, the
// sign-up bot check, rate limits, the password policy, single-use verification links, audit events, and response
// clean-up (no session token in JSON bodies, one sign-up answer whatever the address).
import { createHash } from "node:crypto";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { z } from "zod";
import { AuditActions } from "./audit.ts";
import type { RateLimitName } from "./config.ts";
import { fieldErrors } from "./errors.ts";
import { checkPassword } from "./password-policy.ts";
import { emailKey } from "./runtime.ts";
import type { AuthRuntime } from "./runtime.ts";

/** Header carrying the bot-check payload (the ALTCHA widget's `altcha` value) on sign-up. */
export const BOT_CHECK_HEADER = "x-bot-check";

const email = z.email("must be an email address").max(254, "must be at most 254 characters");
// Length is the password policy's job (with a message that says what to do); this only bounds the input.
const password = z.string("is required").min(1, "is required").max(1024, "is too long");
const callbackURL = z.string().max(2048).optional();
const name = z.string("is required").trim().min(1, "is required").max(100, "must be at most 100 characters");

// `.strict()`: an unknown field (`role`, `emailVerified`…) is refused, never passed on to better-auth.
const bodies: Record<string, z.ZodType> = {
  "/sign-up/email": z.strictObject({ name, email, password, callbackURL, rememberMe: z.boolean().optional() }),
  "/sign-in/email": z.strictObject({ email, password, callbackURL, rememberMe: z.boolean().optional() }),
  "/request-password-reset": z.strictObject({ email, redirectTo: callbackURL }),
  "/send-verification-email": z.strictObject({ email, callbackURL }),
  "/reset-password": z.strictObject({ token: z.string("is required").min(1).max(512), newPassword: password }),
  "/change-password": z.strictObject({
    currentPassword: password,
    newPassword: password,
    revokeOtherSessions: z.boolean().optional(),
  }),
  "/update-user": z.strictObject({ name }),
  "/sign-out": z.union([z.strictObject({}), z.undefined(), z.null()]),
};

function invalid(error: z.ZodError): APIError {
  const fields = fieldErrors(error);
  return new APIError("BAD_REQUEST", {
    code: "validation_failed",
    message: `Invalid input: ${[...new Set(fields.map((f) => f.path))].join(", ")}.`,
    fields,
  });
}

function weakPassword(path: string, message: string): APIError {
  return new APIError("BAD_REQUEST", { code: "validation_failed", message, fields: [{ path, message }] });
}

function humanDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
}

async function enforceLimit(rt: AuthRuntime, name: RateLimitName, key: string | null): Promise<void> {
  if (key === null) return; // unknown client IP: see client-ip.ts
  const result = await rt.limiters[name].consume(key);
  if (result.allowed) return;
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new APIError(
    "TOO_MANY_REQUESTS",
    {
      code: "rate_limited",
      message: `Too many attempts. Try again in ${humanDuration(seconds)}.`,
      retryAfterSeconds: seconds,
    },
    { "Retry-After": String(seconds) },
  );
}

const tokenClaimKey = (token: string) =>
  `auth:verify-email-used:${createHash("sha256").update(token).digest("base64url")}`;

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function stringField(body: unknown, key: string): string {
  const value = record(body)[key];
  return typeof value === "string" ? value : "";
}

function errorCode(error: APIError): string {
  const body = record(error.body);
  return typeof body.code === "string" ? body.code : String(error.status);
}

function isApiError(value: unknown): value is APIError {
  return value instanceof APIError || (value instanceof Error && value.name === "APIError");
}

/** The signed session token a request's cookie carries, if any (to retire it when the person signs in anew). */
type CookieReader = { getSignedCookie(name: string, secret: string): Promise<string | null | false> };

export function createEndpointHooks(rt: AuthRuntime) {
  const before = createAuthMiddleware(async (ctx) => {
    const schema = bodies[ctx.path];
    let body: Record<string, unknown> = {};
    if (schema) {
      const parsed = schema.safeParse(ctx.body);
      if (!parsed.success) throw invalid(parsed.error);
      body = record(parsed.data);
    }
    const { ip } = rt.meta(ctx.headers);
    const address = typeof body.email === "string" ? body.email.toLowerCase() : null;

    switch (ctx.path) {
      case "/sign-up/email": {
        await enforceLimit(rt, "signUpPerIp", ip);
        // The bot check fails closed: no payload, a bad one, a replayed one, or an error refuses the sign-up.
        const result = await rt.botCheck
          .verify({ payload: ctx.headers?.get(BOT_CHECK_HEADER) ?? null, headers: ctx.headers ?? new Headers() })
          .catch(() => ({ ok: false as const, reason: "unavailable" }));
        if (!result.ok) {
          throw new APIError("FORBIDDEN", {
            code: "bot_check_failed",
            message: "The bot check did not pass. Please complete it again and resubmit.",
            reason: result.reason,
          });
        }
        await enforceLimit(rt, "signUpPerEmail", address && emailKey(address));
        const verdict = checkPassword(String(body.password), [String(body.email), String(body.name)]);
        if (!verdict.ok) throw weakPassword("password", verdict.message);
        return;
      }
      case "/sign-in/email":
        await enforceLimit(rt, "signInPerIp", ip);
        // Every attempt spends a point; a successful login resets the counter (after hook): consecutive failures.
        await enforceLimit(rt, "signInPerEmail", address && emailKey(address));
        return;
      case "/request-password-reset":
        await enforceLimit(rt, "passwordResetPerIp", ip);
        await enforceLimit(rt, "passwordResetPerEmail", address && emailKey(address));
        return;
      case "/send-verification-email":
        await enforceLimit(rt, "verificationEmailPerIp", ip);
        await enforceLimit(rt, "verificationEmailPerEmail", address && emailKey(address));
        return;
      case "/reset-password": {
        await enforceLimit(rt, "resetPasswordPerIp", ip);
        const newPassword = String(body.newPassword);
        // Judge the password against the account it is for (looked up without consuming the token).
        const verification = await ctx.context.internalAdapter.findVerificationValue(
          `reset-password:${String(body.token)}`,
        );
        const user = verification ? await ctx.context.internalAdapter.findUserById(verification.value) : null;
        const verdict = checkPassword(newPassword, user ? [user.email, user.name] : []);
        if (!verdict.ok) throw weakPassword("newPassword", verdict.message);
        return;
      }
      case "/change-password": {
        await enforceLimit(rt, "changePasswordPerIp", ip);
        const session = await getSessionFromCtx(ctx);
        const verdict = checkPassword(String(body.newPassword), session ? [session.user.email, session.user.name] : []);
        if (!verdict.ok) throw weakPassword("newPassword", verdict.message);
        return;
      }
      case "/sign-out": {
        const session = await getSessionFromCtx(ctx);
        if (session) {
          await rt.audit({
            action: AuditActions.logout,
            actorUserId: session.user.id,
            actorEmail: session.user.email,
            subjectUserId: session.user.id,
            targetType: "session",
            targetId: session.session.id,
            ...rt.meta(ctx.headers),
          });
        }
        return;
      }
      case "/verify-email": {
        // better-auth's verification tokens are signed JWTs, valid until they expire; we make each usable once.
        const token = typeof ctx.query?.token === "string" ? ctx.query.token : "";
        if (!token || token.length > 4096) return; // better-auth answers a missing or absurd token itself
        const first = await rt.kv.set(tokenClaimKey(token), "1", {
          onlyIfAbsent: true,
          ttlMs: rt.config.verificationTokenMinutes * 60_000 + 60_000,
        });
        if (!first) {
          const target = typeof ctx.query?.callbackURL === "string" ? ctx.query.callbackURL : null;
          if (target && ctx.context.isTrustedOrigin(target, { allowRelativePaths: true })) {
            throw ctx.redirect(`${target}${target.includes("?") ? "&" : "?"}error=TOKEN_ALREADY_USED`);
          }
          throw new APIError("BAD_REQUEST", {
            code: "TOKEN_ALREADY_USED",
            message: "This verification link was already used. If your email is verified, sign in.",
          });
        }
        return;
      }
      default:
        return;
    }
  });

  const after = createAuthMiddleware(async (ctx) => {
    const returned: unknown = ctx.context.returned;
    const failed = isApiError(returned);
    const meta = rt.meta(ctx.headers);
    switch (ctx.path) {
      case "/sign-up/email": {
        if (failed) return;
        // One shape for a new and an already registered address (better-auth answers the latter with a synthetic
        // user): only these fields, so nothing (role, ban state) tells them apart.
        const user = record(record(returned).user);
        return ctx.json({
          token: null,
          user: {
            id: user.id,
            email: user.email,
            name: user.name,
            image: user.image ?? null,
            emailVerified: false,
            createdAt: user.createdAt,
            updatedAt: user.updatedAt,
          },
        });
      }
      case "/sign-in/email": {
        const address = stringField(ctx.body, "email").toLowerCase();
        if (failed) {
          const existing = address ? await rt.db.user.findUnique({ where: { email: address } }) : null;
          await rt.audit({
            action: AuditActions.loginFailed,
            actorEmail: address || null,
            subjectUserId: existing?.id ?? null,
            metadata: { reason: errorCode(returned) },
            ...meta,
          });
          return;
        }
        const created = ctx.context.newSession;
        if (!created) return;
        await rt.limiters.signInPerEmail.reset(emailKey(address));
        // Session rotation: the session the browser held before this login (if any) is ended, not carried on.
        const cookieName = ctx.context.authCookies.sessionToken.name;
        const previous = await (ctx as unknown as CookieReader).getSignedCookie(cookieName, ctx.context.secret);
        if (previous && previous !== created.session.token) {
          await ctx.context.internalAdapter.deleteSession(previous);
        }
        await rt.audit({
          action: AuditActions.loginSucceeded,
          actorUserId: created.user.id,
          actorEmail: created.user.email,
          subjectUserId: created.user.id,
          targetType: "session",
          targetId: created.session.id,
          ...meta,
        });
        // The token stays in its HttpOnly cookie; page script never sees it.
        const { token: _token, ...rest } = record(returned);
        return ctx.json(rest);
      }
      case "/request-password-reset": {
        if (failed) return;
        const address = stringField(ctx.body, "email").toLowerCase();
        const existing = address ? await rt.db.user.findUnique({ where: { email: address } }) : null;
        await rt.audit({
          action: AuditActions.passwordResetRequested,
          actorEmail: address || null,
          subjectUserId: existing?.id ?? null,
          ...meta,
        });
        return;
      }
      case "/change-password": {
        if (failed) return;
        const session = ctx.context.session ?? (await getSessionFromCtx(ctx));
        const user = session?.user ?? record(record(returned).user);
        const userId = typeof user.id === "string" ? user.id : null;
        await rt.audit({
          action: AuditActions.passwordChanged,
          actorUserId: userId,
          actorEmail: typeof user.email === "string" ? user.email : null,
          subjectUserId: userId,
          metadata: { revokedOtherSessions: record(ctx.body).revokeOtherSessions === true },
          ...meta,
        });
        const { token: _token, ...rest } = record(returned);
        return ctx.json(rest);
      }
      default:
        return;
    }
  });

  return { before, after };
}
