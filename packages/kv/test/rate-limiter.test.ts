import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInProcessStore, createRateLimiter, createRedisStore } from "../src/index.ts";
import type { KeyValueStore, RateLimitResult } from "../src/index.ts";
import { testRedisUrl } from "./env.ts";

function retryAfter(result: RateLimitResult): number {
  if (result.allowed) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result.retryAfterMs;
}

// The same behaviour on both stores.
for (const [name, makeStore] of [
  ["redis", () => createRedisStore(testRedisUrl, { keyPrefix: `test:${randomUUID()}:` })],
  ["in-process", () => createInProcessStore()],
] as const) {
  describe(`createRateLimiter on the ${name} store`, () => {
    let kv: KeyValueStore;
    beforeEach(() => {
      kv = makeStore();
    });
    afterEach(async () => {
      await kv.close();
    });

    it("allows `points` consumes per window, then refuses with a retry delay within the window", async () => {
      const limiter = createRateLimiter(kv, { keyPrefix: "login", points: 3, durationSeconds: 60 });
      expect(await limiter.consume("1.2.3.4")).toEqual({ allowed: true, remaining: 2 });
      expect(await limiter.consume("1.2.3.4")).toEqual({ allowed: true, remaining: 1 });
      expect(await limiter.consume("1.2.3.4")).toEqual({ allowed: true, remaining: 0 });
      const ms = retryAfter(await limiter.consume("1.2.3.4"));
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(60_000);
      // Other keys have their own counters.
      expect(await limiter.consume("5.6.7.8")).toEqual({ allowed: true, remaining: 2 });
    });

    it("counts weighted consumes", async () => {
      const limiter = createRateLimiter(kv, { keyPrefix: "weighted", points: 5, durationSeconds: 60 });
      expect(await limiter.consume("k", 4)).toEqual({ allowed: true, remaining: 1 });
      expect((await limiter.consume("k", 2)).allowed).toBe(false);
      await expect(limiter.consume("k", 0)).rejects.toThrow(/positive integer/);
      await expect(limiter.consume("k", 1.5)).rejects.toThrow(/positive integer/);
    });

    it("starts a new window after durationSeconds", async () => {
      const limiter = createRateLimiter(kv, { keyPrefix: "window", points: 1, durationSeconds: 1 });
      expect((await limiter.consume("k")).allowed).toBe(true);
      const ms = retryAfter(await limiter.consume("k"));
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(1_000);
      await sleep(ms + 150);
      expect(await limiter.consume("k")).toEqual({ allowed: true, remaining: 0 });
    });

    it("blocks for blockDurationSeconds once over the limit", async () => {
      const limiter = createRateLimiter(kv, {
        keyPrefix: "blocked",
        points: 1,
        durationSeconds: 1,
        blockDurationSeconds: 30,
      });
      await limiter.consume("k");
      const ms = retryAfter(await limiter.consume("k"));
      expect(ms).toBeGreaterThan(25_000);
      expect(ms).toBeLessThanOrEqual(30_000);
      await sleep(1_200); // the window is over, the block is not
      expect((await limiter.consume("k")).allowed).toBe(false);
    });

    it("reset forgets a key's counter and block", async () => {
      const limiter = createRateLimiter(kv, {
        keyPrefix: "reset",
        points: 1,
        durationSeconds: 60,
        blockDurationSeconds: 60,
      });
      await limiter.consume("k");
      expect((await limiter.consume("k")).allowed).toBe(false);
      await limiter.reset("k");
      expect(await limiter.consume("k")).toEqual({ allowed: true, remaining: 0 });
      await limiter.reset("never-seen");
    });

    it("shares counters between limiters with the same prefix, not across prefixes", async () => {
      const options = { points: 2, durationSeconds: 60 };
      const first = createRateLimiter(kv, { keyPrefix: "signup", ...options });
      const second = createRateLimiter(kv, { keyPrefix: "signup", ...options });
      const other = createRateLimiter(kv, { keyPrefix: "signup-email", ...options });
      await first.consume("k");
      await second.consume("k");
      expect((await first.consume("k")).allowed).toBe(false);
      expect((await other.consume("k")).allowed).toBe(true);
    });

    it("never lets more than `points` through under concurrency", async () => {
      const limiter = createRateLimiter(kv, { keyPrefix: "burst", points: 5, durationSeconds: 60 });
      const results = await Promise.all(Array.from({ length: 25 }, () => limiter.consume("k")));
      expect(results.filter((result) => result.allowed)).toHaveLength(5);
    });

    it("rejects invalid options", () => {
      expect(() => createRateLimiter(kv, { keyPrefix: "", points: 1, durationSeconds: 1 })).toThrow(/keyPrefix/);
      expect(() => createRateLimiter(kv, { keyPrefix: "x", points: 0, durationSeconds: 1 })).toThrow(/points/);
      expect(() => createRateLimiter(kv, { keyPrefix: "x", points: 1, durationSeconds: 0.5 })).toThrow(/duration/);
      expect(() =>
        createRateLimiter(kv, { keyPrefix: "x", points: 1, durationSeconds: 1, blockDurationSeconds: -1 }),
      ).toThrow(/blockDurationSeconds/);
    });
  });
}

describe("createRateLimiter store specifics", () => {
  it("keeps its Redis counters under the store's key prefix", async () => {
    const kv = createRedisStore(testRedisUrl, { keyPrefix: `test:${randomUUID()}:` });
    const limiter = createRateLimiter(kv, { keyPrefix: "login", points: 5, durationSeconds: 60 });
    await limiter.consume("a@example.com", 2);
    expect(await kv.get("ratelimit:login:a@example.com")).toBe("2");
    expect(await kv.ttlMs("ratelimit:login:a@example.com")).toBeGreaterThan(0);
    await kv.close();
  });

  it("rejects (never allows uncounted) when Redis is unreachable", async () => {
    const kv = createRedisStore("redis://127.0.0.1:1", { commandTimeoutMs: 300 });
    const limiter = createRateLimiter(kv, { keyPrefix: "login", points: 5, durationSeconds: 60 });
    await expect(limiter.consume("k")).rejects.toThrow();
    await kv.close();
  });

  it("rejects once the in-process store is closed, and starts from zero with a new store", async () => {
    const kv = createInProcessStore();
    const limiter = createRateLimiter(kv, { keyPrefix: "login", points: 1, durationSeconds: 60 });
    await limiter.consume("k");
    await kv.close();
    await expect(limiter.consume("k")).rejects.toThrow(/closed/);
    const fresh = createInProcessStore();
    expect(
      (await createRateLimiter(fresh, { keyPrefix: "login", points: 1, durationSeconds: 60 }).consume("k")).allowed,
    ).toBe(true);
    await fresh.close();
  });
});
