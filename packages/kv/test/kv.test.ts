import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createInProcessStore, createKeyValueStore, createRedisStore } from "../src/index.ts";
import { describeKeyValueStore } from "./contract.ts";
import { testRedisUrl } from "./env.ts";

// Each test gets its own key prefix so runs can share one Redis.
describeKeyValueStore("redis", () => createRedisStore(testRedisUrl, { keyPrefix: `test:${randomUUID()}:` }));
describeKeyValueStore("in-process", () => createInProcessStore());

describe("createKeyValueStore", () => {
  it("chooses Redis when a URL is configured and the in-process stand-in otherwise", async () => {
    const redis = createKeyValueStore(testRedisUrl);
    const local = createKeyValueStore(undefined);
    expect([redis.kind, local.kind]).toEqual(["redis", "in_process"]);
    await Promise.all([redis.close(), local.close()]);
  });
});

describe("redis store when Redis is unreachable", () => {
  it("fails ping within the timeout instead of hanging", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const store = createRedisStore("redis://127.0.0.1:1", { commandTimeoutMs: 300 });
    const started = Date.now();
    const result = await store.ping(500);
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    await store.close();
  });

  it("rejects commands instead of queueing them forever", async () => {
    const store = createRedisStore("redis://127.0.0.1:1", { commandTimeoutMs: 300 });
    await expect(store.get("anything")).rejects.toThrow();
    await store.close();
  });
});

describe("in-process store", () => {
  it("follows an injected clock for TTLs", async () => {
    let now = 1_000;
    const store = createInProcessStore({ now: () => now });
    await store.set("session", "s", { ttlMs: 10_000 });
    now += 9_999;
    expect(await store.get("session")).toBe("s");
    now += 1;
    expect(await store.get("session")).toBeNull();
    await store.close();
  });

  it("refuses use after close", async () => {
    const store = createInProcessStore();
    await store.close();
    await expect(async () => store.get("x")).rejects.toThrow(/closed/);
  });
});
