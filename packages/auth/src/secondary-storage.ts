// better-auth's secondary storage (sessions, the per-user session list, verification values such as password-reset
// tokens) over our KeyValueStore, so they live in Redis (or the in-process stand-in).
import type { SecondaryStorage } from "better-auth";
import type { KeyValueStore } from "@agentbot/kv";

/** Every key better-auth writes is stored under this prefix (after the store's own prefix). */
export const STORAGE_PREFIX = "auth:";
const CLAIM_SUFFIX = "#consumed";
const DEFAULT_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

export function kvSecondaryStorage(kv: KeyValueStore): SecondaryStorage {
  const k = (key: string) => STORAGE_PREFIX + key;
  return {
    get: (key) => kv.get(k(key)),
    async set(key, value, ttlSeconds) {
      if (ttlSeconds !== undefined && ttlSeconds <= 0) {
        // Already expired: never store it without a TTL.
        await kv.delete(k(key));
        return;
      }
      await kv.set(k(key), value, ttlSeconds === undefined ? {} : { ttlMs: ttlSeconds * 1000 });
    },
    async delete(key) {
      await kv.delete(k(key));
    },
    /**
     * Atomic for concurrent callers without a GETDEL in KeyValueStore: whoever first sets the claim marker (SET NX)
     * gets the value; everyone else sees none. Used for single-use tokens (password reset): a token can be redeemed
     * once even when two requests race. The marker lives as long as the value would have, so the same key is never
     * handed out twice; keys are random tokens and are never written again.
     */
    async getAndDelete(key) {
      const value = await kv.get(k(key));
      if (value === null) return null;
      const remaining = await kv.ttlMs(k(key));
      const claimed = await kv.set(k(key) + CLAIM_SUFFIX, "1", {
        onlyIfAbsent: true,
        ttlMs: (remaining ?? DEFAULT_CLAIM_TTL_MS) + 60_000,
      });
      if (!claimed) return null;
      await kv.delete(k(key));
      return value;
    },
    /** One more for `key`; the TTL (seconds) applies when the counter is created and is not extended afterwards. */
    async increment(key, ttlSeconds) {
      const value = await kv.incrementBy(k(key), 1);
      if (value === 1) await kv.expire(k(key), ttlSeconds * 1000);
      return value;
    },
  };
}
