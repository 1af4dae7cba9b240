import { createEnv } from "@t3-oss/env-nextjs";
import { billingConfigFromEnv, billingEnvShape } from "@agentbot/billing";
import { powDefaults } from "@agentbot/bot-check";
import { z } from "zod";

/**
 * The web app's configuration: the only module that reads `process.env` (lint enforces it).
 *
 * Every variable here is server-only. `@t3-oss/env-nextjs` throws if a server variable is read in browser code, and
 * Next.js inlines only `NEXT_PUBLIC_*` variables into client bundles, so none of these can reach the browser;
 * `e2e/service-token-redaction.spec.ts` proves it for the service token. `PORT` is read by `next start` itself.
 */

// `next build` evaluates modules to collect page data; secrets are runtime values and need not exist at build time.
const isBuild = process.env.NEXT_PHASE === "phase-production-build";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Base URL of the Express backend (apps/backend). */
    BACKEND_URL: z.url().default("http://127.0.0.1:4000"),
    /** Bearer token for the backend's service routes; the backend requires at least 32 characters. */
    BACKEND_SERVICE_TOKEN: z.string().min(32, "BACKEND_SERVICE_TOKEN must be at least 32 characters").optional(),
    /** PostgreSQL: users, credential accounts, API keys (hashed), audit events, the email outbox. Required. */
    DATABASE_URL: z
      .url()
      .refine((url) => /^postgres(ql)?:\/\//.test(url), "DATABASE_URL must start with postgresql:// or postgres://")
      .optional(),
    /** Connections this web process may open. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(5),
    /** Redis: sessions, verification tokens, rate limits, bot-check replay guard. Unset: in-process, one instance. */
    REDIS_URL: z
      .url()
      .refine((url) => /^rediss?:\/\//.test(url), "REDIS_URL must start with redis:// or rediss://")
      .optional(),
    /** Prepended to every Redis key this app writes (lets environments or test runs share one Redis). */
    REDIS_KEY_PREFIX: z.string().max(100).default(""),
    /**
     * Signs session cookies and tokens (better-auth). At least 32 characters; required in production. In development
     * and test a missing secret is replaced by a random one per process (sessions end when the process restarts).
     */
    BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters").optional(),
    /**
     * The public base URL people use (links in emails, the origin cross-site checks compare with). `https://` also
     * turns on `Secure` cookies with the `__Secure-` prefix.
     */
    APP_URL: z.url().default("http://127.0.0.1:3000"),
    /** Comma-separated emails that are admins (applied when such an account signs up or signs in). */
    ADMIN_EMAILS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .default("")
        .transform((list) =>
          list
            .split(",")
            .map((email) => email.trim().toLowerCase())
            .filter((email) => email.length > 0),
        )
        .pipe(z.array(z.email("ADMIN_EMAILS must be a comma-separated list of emails"))),
    ),
    /** Sends email through Resend. Unset: every message is stored in the local outbox (viewable at /dev/outbox). */
    RESEND_API_KEY: z.string().min(1).optional(),
    /** The sender of every email, e.g. `Agentbot <no-reply@example.com>`; required with RESEND_API_KEY. */
    EMAIL_FROM: z.string().min(3).default("Agentbot <no-reply@agentbot.localhost>"),
    /** Bot check on sign-up: `botid` (Vercel BotID) or `pow` (self-hosted proof of work). Default: botid on Vercel. */
    BOT_CHECK_PROVIDER: z.enum(["pow", "botid"]).optional(),
    /**
     * Signs proof-of-work challenges. At least 32 characters. Unset: derived from BETTER_AUTH_SECRET with HKDF-SHA-256
     * (info `agentbot/bot-check/v1`), so one secret is enough; set it to rotate the two independently.
     */
    BOT_CHECK_HMAC_KEY: z.string().min(32, "BOT_CHECK_HMAC_KEY must be at least 32 characters").optional(),
    /**
     * Proof-of-work cost: the solution counter is drawn from 1..N, so a browser derives N/2 keys on average. Default
     * 10,000 (with BOT_CHECK_POW_COST 1,000: ~0.8 s at the median, ~3 s at worst in Chromium on 2 busy cores,
     * bench/results/pow-solve.md). Double it to double the work per sign-up attempt.
     */
    BOT_CHECK_POW_MAX_NUMBER: z.coerce.number().int().min(1).max(10_000_000).default(powDefaults.maxNumber),
    /** PBKDF2 iterations per proof-of-work attempt. Default 1,000. */
    BOT_CHECK_POW_COST: z.coerce.number().int().min(1).max(1_000_000).default(powDefaults.cost),
    /** How long a challenge may be solved and submitted, in seconds. Default 600. */
    BOT_CHECK_POW_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(30)
      .max(86_400)
      .default(powDefaults.ttlMs / 1000),
    /**
     * `1` shows the stored emails at /dev/outbox even with NODE_ENV=production (`./agentbot start` and the browser
     * tests run production builds locally). Default: shown only outside production. Never set it on a public deployment.
     */
    DEV_OUTBOX: z.enum(["0", "1"]).optional(),
    /**
     * Take the client IP (rate limits, audit log, sessions list) from CLIENT_IP_HEADER's last entry. Turn on only
     * behind a proxy you control that sets or appends it (Caddy, Vercel: on by default there); otherwise a client
     * could pick its own IP. Off: the IP is unknown, per-IP limits are skipped (per-email limits still apply).
     */
    TRUST_PROXY_HEADERS: z.enum(["true", "false", "1", "0"]).optional(),
    CLIENT_IP_HEADER: z
      .string()
      .regex(/^[a-z0-9-]+$/i)
      .default("x-forwarded-for"),
    /** Public API (/api/v1) requests per minute per API key or signed-in user; past it, 429 with Retry-After. */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    /** Set to `1` by Vercel; chooses BotID as the default bot check. */
    VERCEL: z.string().optional(),
    // Billing: Stripe (card), Coinbase CDP (USDC on Base), trial and grace period. See README "Billing".
    ...billingEnvShape,
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  createFinalSchema: (shape) =>
    z.object(shape).superRefine((value, ctx) => {
      if (isBuild) return;
      try {
        billingConfigFromEnv(value);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          path: ["billing"],
          message: error instanceof Error ? error.message : String(error),
        });
      }
      if (value.DATABASE_URL === undefined) {
        ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "DATABASE_URL is required" });
      }
      if (value.NODE_ENV !== "production") return;
      for (const name of ["BACKEND_SERVICE_TOKEN", "BETTER_AUTH_SECRET"] as const) {
        if (value[name] === undefined) {
          ctx.addIssue({ code: "custom", path: [name], message: `${name} is required in production` });
        }
      }
      if (value.RESEND_API_KEY !== undefined && value.EMAIL_FROM.includes(".localhost")) {
        ctx.addIssue({
          code: "custom",
          path: ["EMAIL_FROM"],
          message: "EMAIL_FROM must be set to a sender on your verified domain when RESEND_API_KEY is set",
        });
      }
    }),
});

/** The bot check in force: BOT_CHECK_PROVIDER, else BotID on Vercel and proof of work elsewhere. */
export const botCheckProvider: "pow" | "botid" = env.BOT_CHECK_PROVIDER ?? (env.VERCEL === "1" ? "botid" : "pow");

/** Whether /dev/outbox exists (otherwise it answers 404). */
export const devOutboxEnabled: boolean =
  env.DEV_OUTBOX === undefined ? env.NODE_ENV !== "production" : env.DEV_OUTBOX === "1";

/** Whether the client IP header is trusted (see TRUST_PROXY_HEADERS). */
export const trustProxyHeaders: boolean =
  env.TRUST_PROXY_HEADERS === undefined
    ? env.VERCEL === "1"
    : env.TRUST_PROXY_HEADERS === "true" || env.TRUST_PROXY_HEADERS === "1";
