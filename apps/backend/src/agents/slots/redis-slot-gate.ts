import { Redis } from "ioredis";
import { Semaphore } from "redis-semaphore";
import type { SlotAttempt, SlotGate, SlotLease, SlotLimits } from "./slot-gate.ts";

// redis-semaphore keeps each semaphore as a sorted set `semaphore:<key>` of holder → acquire/refresh time.
const zsetKey = (key: string) => `semaphore:${key}`;

/**
 * Slots as two redis-semaphore semaphores (per user, then global), each with the holder's identifier, a TTL lease
 * (`lockTimeout`) and automatic renewal while held (`refreshInterval`). A process that dies stops renewing, so its
 * slots expire after `leaseMs` even before the reconciler looks.
 */
export function createRedisSlotGate(redisUrl: string, limits: SlotLimits, keyPrefix = "agentbot:"): SlotGate {
  const GLOBAL_KEY = `${keyPrefix}slots:global`;
  const userKey = (userId: string) => `${keyPrefix}slots:user:${userId}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on("error", () => {
    // Connection errors surface as rejected commands to the caller; the event only needs a listener.
  });
  const semaphoreOptions = (holder: string, onLockLost: () => void) => ({
    identifier: holder,
    lockTimeout: limits.leaseMs,
    refreshInterval: Math.max(250, Math.floor(limits.leaseMs / 3)),
    acquireAttemptsLimit: 1,
    onLockLost,
  });

  return {
    kind: "redis",
    async tryAcquire(holder, userId): Promise<SlotAttempt> {
      const lost = new AbortController();
      const onLost = () => lost.abort(new Error("deployment slot lease lost"));
      const perUser = new Semaphore(redis, userKey(userId), limits.perUserLimit, semaphoreOptions(holder, onLost));
      if (!(await perUser.tryAcquire())) return { lease: null, blockedBy: "user" };
      const global = new Semaphore(redis, GLOBAL_KEY, limits.globalLimit, semaphoreOptions(holder, onLost));
      let globalAcquired = false;
      try {
        globalAcquired = await global.tryAcquire();
      } finally {
        if (!globalAcquired) await perUser.release();
      }
      if (!globalAcquired) return { lease: null, blockedBy: "global" };
      let released = false;
      const lease: SlotLease = {
        holder,
        lost: lost.signal,
        async release() {
          if (released) return;
          released = true;
          await Promise.allSettled([global.release(), perUser.release()]);
        },
      };
      return { lease };
    },
    async usage() {
      const now = Date.now();
      // Count only unexpired holders, as the semaphore itself does.
      const global = await redis.zcount(zsetKey(GLOBAL_KEY), now - limits.leaseMs, "+inf");
      return { global, globalLimit: limits.globalLimit };
    },
    async holders(userId) {
      const key = zsetKey(userId === undefined ? GLOBAL_KEY : userKey(userId));
      return redis.zrangebyscore(key, Date.now() - limits.leaseMs, "+inf");
    },
    async reconcile(keep) {
      let removed = 0;
      const globalHolders = await redis.zrange(zsetKey(GLOBAL_KEY), 0, -1);
      for (const holder of globalHolders) {
        if (!keep.has(holder)) removed += await redis.zrem(zsetKey(GLOBAL_KEY), holder);
      }
      for await (const keys of redis.scanStream({ match: zsetKey(userKey("*")), count: 200 })) {
        for (const key of keys as string[]) {
          for (const holder of await redis.zrange(key, 0, -1)) {
            if (!keep.has(holder)) await redis.zrem(key, holder);
          }
        }
      }
      return { removed };
    },
    close() {
      redis.disconnect();
      return Promise.resolve();
    },
  };
}
