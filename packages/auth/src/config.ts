// createAuth's configuration, validated once at construction so a bad value fails at boot naming the field.
import { z } from "zod";
import { parseInput } from "./errors.ts";

const limit = z.object({
  points: z.number().int().positive(),
  durationSeconds: z.number().int().positive(),
  blockDurationSeconds: z.number().int().positive().optional(),
});
export type RateLimitRule = z.infer<typeof limit>;

/** Every rate limit this package applies, with its default. Keys are per client IP or per (hashed) email. */
export const defaultRateLimits = {
  /** Sign-in attempts from one IP. */
  signInPerIp: { points: 30, durationSeconds: 10 * 60 },
  /**
   * Failed-login counter per email: every attempt spends a point and a successful login resets it, so this counts
   * consecutive failures. Past the limit the address is locked for `blockDurationSeconds`.
   */
  signInPerEmail: { points: 5, durationSeconds: 15 * 60, blockDurationSeconds: 15 * 60 },
  signUpPerIp: { points: 10, durationSeconds: 60 * 60 },
  signUpPerEmail: { points: 3, durationSeconds: 60 * 60 },
  passwordResetPerIp: { points: 10, durationSeconds: 60 * 60 },
  passwordResetPerEmail: { points: 3, durationSeconds: 60 * 60 },
  verificationEmailPerIp: { points: 10, durationSeconds: 60 * 60 },
  verificationEmailPerEmail: { points: 3, durationSeconds: 60 * 60 },
  /** Submitting a reset token and a new password. */
  resetPasswordPerIp: { points: 20, durationSeconds: 60 * 60 },
  changePasswordPerIp: { points: 20, durationSeconds: 10 * 60 },
  /** Consecutive wrong passwords when confirming a Destructive approval, per user (a right one resets it). */
  reauthenticatePerUser: { points: 5, durationSeconds: 15 * 60, blockDurationSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;
export type RateLimitName = keyof typeof defaultRateLimits;

const origin = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

export const AuthConfigSchema = z.object({
  /** Signs cookies and email-verification tokens. At least 32 characters of randomness. */
  secret: z.string().min(32, "must be at least 32 characters"),
  /** The public URL of the web app, e.g. http://127.0.0.1:3000. better-auth is mounted at `${baseUrl}/api/auth`. */
  baseUrl: origin,
  /** More origins allowed to make cookie-authenticated requests (the base URL's origin always is). */
  trustedOrigins: z.array(origin).default([]),
  /** People who are admins: promoted when they sign up and whenever they sign in. */
  adminEmails: z.array(z.email().transform((email) => email.toLowerCase())).default([]),
  /** `Secure` cookies with the `__Secure-` prefix. True in production (HTTPS). */
  secureCookies: z.boolean(),
  /** Sliding inactivity timeout: a session unused this long expires. Default 7 days. */
  sessionInactivityMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .default(60 * 24 * 7),
  /** Absolute lifetime: a session older than this is revoked however active it is. Default 30 days. */
  sessionAbsoluteHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 30),
  /**
   * Take the client IP from `clientIpHeader` (its last entry, the one the nearest proxy added). Turn on only behind
   * a proxy you control that sets or appends that header (Caddy, Vercel); otherwise anyone can choose their IP.
   * When off, the client IP is unknown: per-IP limits are skipped (per-email limits and the bot check still apply)
   * and audit events carry no IP.
   */
  trustProxyHeaders: z.boolean().default(false),
  clientIpHeader: z
    .string()
    .regex(/^[a-z0-9-]+$/i)
    .default("x-forwarded-for"),
  rateLimits: z.partialRecord(z.enum(Object.keys(defaultRateLimits) as [RateLimitName]), limit).default({}),
  /** Email verification links stay valid this long. */
  verificationTokenMinutes: z
    .number()
    .int()
    .positive()
    .default(24 * 60),
  /** Password reset links stay valid this long. */
  resetTokenMinutes: z.number().int().positive().default(30),
});

export type AuthConfigInput = z.input<typeof AuthConfigSchema> & {
  /** The clock of this package's own checks (absolute session lifetime, audit times). Default: the system clock. */
  readonly now?: () => Date;
};

export type AuthConfig = z.output<typeof AuthConfigSchema> & {
  readonly now: () => Date;
  readonly limits: Record<RateLimitName, RateLimitRule>;
  /** Origins allowed to send cookie-authenticated state-changing requests. */
  readonly allowedOrigins: readonly string[];
};

export function parseConfig(input: AuthConfigInput): AuthConfig {
  const { now, ...rest } = input;
  const parsed = parseInput(AuthConfigSchema, rest);
  const baseUrl = parsed.baseUrl.replace(/\/+$/, "");
  const allowedOrigins = [...new Set([baseUrl, ...parsed.trustedOrigins].map((url) => new URL(url).origin))];
  return {
    ...parsed,
    baseUrl,
    now: now ?? (() => new Date()),
    limits: { ...defaultRateLimits, ...parsed.rateLimits },
    allowedOrigins,
  };
}
