import "server-only";
import { hkdfSync, randomBytes } from "node:crypto";
import { createAuth } from "@agentbot/auth";
import type { Auth } from "@agentbot/auth";
import { createBotCheck } from "@agentbot/bot-check";
import type { BotCheck } from "@agentbot/bot-check";
import { createDb } from "@agentbot/db";
import type { Db } from "@agentbot/db";
import { createEmailProvider } from "@agentbot/email";
import { createKeyValueStore, createRateLimiter } from "@agentbot/kv";
import type { KeyValueStore, RateLimiter } from "@agentbot/kv";
import { after } from "next/server";
import { botCheckProvider, env, trustProxyHeaders } from "../env.ts";

/**
 * The web process's long-lived services: one PostgreSQL pool, one key-value store (Redis, or the in-process stand-in
 * without REDIS_URL, correct for a single web instance only), the auth instance on them, and the public API's rate
 * limiters. Created together, once per process, on first use (never at build time), and kept on `globalThis`:
 * Next.js bundles each route separately, and every route must share the same pool and connections. Created in one
 * call so that every object comes from the same copy of its package (the rate limiter, for one, only accepts a store
 * made by its own copy of @agentbot/kv).
 */
export interface Services {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly auth: Auth;
  readonly apiLimiters: {
    /** Every public API request of one API key or signed-in user. */
    readonly principal: RateLimiter;
    /** Failed public API authentications from one IP. */
    readonly unauthenticated: RateLimiter;
  };
}

/**
 * BETTER_AUTH_SECRET, or outside production (where env.ts requires it) a random one for this process: sessions then
 * end when the process restarts, and nothing is ever signed with a guessable secret.
 */
function authSecret(): string {
  return env.BETTER_AUTH_SECRET ?? randomBytes(32).toString("base64url");
}

/**
 * BOT_CHECK_HMAC_KEY, or a key derived from the auth secret with HKDF-SHA-256 (info `agentbot/bot-check/v1`): one
 * configured secret is enough, and the derived key reveals nothing about the secret it came from.
 */
export function botCheckHmacKey(secret: string): string {
  if (env.BOT_CHECK_HMAC_KEY !== undefined) return env.BOT_CHECK_HMAC_KEY;
  return Buffer.from(hkdfSync("sha256", secret, "", "agentbot/bot-check/v1", 32)).toString("base64url");
}

function createBotCheckFor(secret: string, kv: KeyValueStore): BotCheck {
  return botCheckProvider === "botid"
    ? createBotCheck({ provider: "botid" })
    : createBotCheck({
        provider: "pow",
        hmacKey: botCheckHmacKey(secret),
        kv,
        maxNumber: env.BOT_CHECK_POW_MAX_NUMBER,
        cost: env.BOT_CHECK_POW_COST,
        ttlMs: env.BOT_CHECK_POW_TTL_SECONDS * 1000,
      });
}

/** Keeps serverless functions alive until work done after the response (email sends) finishes. */
function deferAfterResponse(task: Promise<unknown>): void {
  try {
    after(() => task);
  } catch {
    // Outside a request there is nothing to extend; the task runs on its own and reports its own errors.
  }
}

function createServices(): Services {
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl === undefined) throw new Error("DATABASE_URL is required (see apps/web/README.md)");
  const db = createDb(databaseUrl, { poolSize: env.DATABASE_POOL_SIZE });
  const kv = createKeyValueStore(env.REDIS_URL, {
    keyPrefix: env.REDIS_KEY_PREFIX,
    commandTimeoutMs: 2_000,
    // Connection problems surface as failed commands (requests then fail closed); the cause is logged here.
    onError: (error) => console.error(`[web] redis: ${error.message}`),
  });
  const secret = authSecret();
  const auth = createAuth({
    db,
    kv,
    email: createEmailProvider({ resendApiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM, db }),
    botCheck: createBotCheckFor(secret, kv),
    config: {
      secret,
      baseUrl: env.APP_URL,
      adminEmails: env.ADMIN_EMAILS,
      // `Secure` cookies with the `__Secure-` prefix whenever the public URL is HTTPS.
      secureCookies: new URL(env.APP_URL).protocol === "https:",
      trustProxyHeaders,
      clientIpHeader: env.CLIENT_IP_HEADER,
    },
    defer: deferAfterResponse,
  });
  const apiLimiters = {
    principal: createRateLimiter(kv, {
      keyPrefix: "api:v1:principal",
      points: env.API_RATE_LIMIT_PER_MINUTE,
      durationSeconds: 60,
    }),
    unauthenticated: createRateLimiter(kv, { keyPrefix: "api:v1:unauthenticated", points: 60, durationSeconds: 60 }),
  };
  return { db, kv, auth, apiLimiters };
}

const key = Symbol.for("agentbot.web.services");

export function services(): Services {
  const holder = globalThis as typeof globalThis & { [key]?: Services };
  holder[key] ??= createServices();
  return holder[key];
}
