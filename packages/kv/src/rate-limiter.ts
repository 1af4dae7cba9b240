// Fixed-window rate limiting (login attempts per IP and per email, sign-ups per IP…) with rate-limiter-flexible:
// RateLimiterRedis on the Redis store's own connection (one Lua script per consume: INCRBY plus the window's TTL, so
// every instance counts in one place), RateLimiterMemory for the in-process store (one process only, like the store).
//
// Guarantees: at most `points` points per key per window across all instances sharing the Redis; a denied answer
// says how long until the key may try again. Does not: smooth bursts at window edges (a client may spend `points` at
// the end of one window and `points` at the start of the next), or tell one client from another; the caller chooses
// the key (IP, email, user id). When the store cannot be reached, `consume` rejects: it never answers "allowed"
// without having counted, so callers fail closed by handling the error.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { inProcessStoreInternals } from "./in-process-store.ts";
import type { KeyValueStore } from "./key-value-store.ts";
import { redisStoreInternals } from "./redis-store.ts";

export interface RateLimiterOptions {
  /** Names this limiter's counters, e.g. `login:ip`. Two limiters with the same prefix share counters. */
  readonly keyPrefix: string;
  /** Points a key may consume per window. */
  readonly points: number;
  /** Window length in whole seconds; the window starts at a key's first consume. */
  readonly durationSeconds: number;
  /** When set, a key that goes over the limit is refused for this many seconds instead of until the window ends. */
  readonly blockDurationSeconds?: number;
}

export type RateLimitResult =
  { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterMs: number };

export interface RateLimiter {
  /** Spends `points` (default 1) for `key`. Rejects when the store is unreachable. */
  consume(key: string, points?: number): Promise<RateLimitResult>;
  /** Forgets `key`'s counter and any block (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

/** A rate limiter on `kv`: shared through Redis, or in this process for the in-process store. */
export function createRateLimiter(kv: KeyValueStore, options: RateLimiterOptions): RateLimiter {
  validate(options);
  const redis = redisStoreInternals(kv);
  const local = inProcessStoreInternals(kv);
  const common = {
    points: options.points,
    duration: options.durationSeconds,
    blockDuration: options.blockDurationSeconds ?? 0,
  };

  let limiter: () => RateLimiterAbstract;
  let ready: () => Promise<void>;
  if (redis) {
    // The store prefixes its own keys by hand (not ioredis' keyPrefix), so the limiter's keys get the same prefix.
    const onRedis = new RateLimiterRedis({
      ...common,
      storeClient: redis.client,
      keyPrefix: `${redis.keyPrefix}ratelimit:${options.keyPrefix}`,
      rejectIfRedisNotReady: true,
    });
    limiter = () => onRedis;
    ready = () => redis.ready();
  } else if (local) {
    // One RateLimiterMemory per store and configuration, held by the store, so limiters created in different modules
    // with the same prefix count together (as on Redis) and a closed store's counters go with it.
    const sharedKey = `ratelimit:${JSON.stringify([options.keyPrefix, common])}`;
    limiter = () => {
      let existing = local.shared.get(sharedKey) as RateLimiterMemory | undefined;
      if (!existing) {
        existing = new RateLimiterMemory({ ...common, keyPrefix: `ratelimit:${options.keyPrefix}` });
        local.shared.set(sharedKey, existing);
      }
      return existing;
    };
    ready = () => {
      local.assertOpen();
      return Promise.resolve();
    };
  } else {
    throw new Error(`createRateLimiter: unsupported key-value store (${kv.kind})`);
  }

  return {
    async consume(key, points = 1) {
      if (!Number.isInteger(points) || points < 1) throw new Error("points to consume must be a positive integer");
      await ready();
      try {
        const res = await limiter().consume(key, points);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (error) {
        // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, with an Error when the store fails.
        if (error instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, error.msBeforeNext) };
        throw error;
      }
    },
    async reset(key) {
      await ready();
      await limiter().delete(key);
    },
  };
}

function validate(options: RateLimiterOptions) {
  const positiveInteger = (value: number | undefined) => value !== undefined && Number.isInteger(value) && value > 0;
  if (!options.keyPrefix) throw new Error("createRateLimiter: keyPrefix is required");
  if (!positiveInteger(options.points)) throw new Error("createRateLimiter: points must be a positive integer");
  if (!positiveInteger(options.durationSeconds)) {
    throw new Error("createRateLimiter: durationSeconds must be a positive whole number of seconds");
  }
  if (options.blockDurationSeconds !== undefined && !positiveInteger(options.blockDurationSeconds)) {
    throw new Error("createRateLimiter: blockDurationSeconds must be a positive whole number of seconds");
  }
}
