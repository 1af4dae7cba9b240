import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KeyValueStore } from "../src/index.ts";

/** The behaviour every KeyValueStore must have. Run against each implementation. */
export function describeKeyValueStore(name: string, makeStore: () => KeyValueStore) {
  describe(`KeyValueStore contract: ${name}`, () => {
    let store: KeyValueStore;
    beforeEach(() => {
      store = makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it("round-trips values and reports missing keys as null", async () => {
      expect(await store.get("missing")).toBeNull();
      expect(await store.set("greeting", "hello")).toBe(true);
      expect(await store.get("greeting")).toBe("hello");
      expect(await store.delete("greeting")).toBe(true);
      expect(await store.delete("greeting")).toBe(false);
      expect(await store.get("greeting")).toBeNull();
    });

    it("honours onlyIfAbsent", async () => {
      expect(await store.set("lock", "a", { onlyIfAbsent: true })).toBe(true);
      expect(await store.set("lock", "b", { onlyIfAbsent: true })).toBe(false);
      expect(await store.get("lock")).toBe("a");
    });

    it("expires keys after their TTL", async () => {
      await store.set("short", "x", { ttlMs: 60 });
      const remaining = await store.ttlMs("short");
      expect(remaining).not.toBeNull();
      expect(remaining!).toBeGreaterThan(0);
      expect(remaining!).toBeLessThanOrEqual(60);
      await sleep(120);
      expect(await store.get("short")).toBeNull();
      expect(await store.set("short", "y", { onlyIfAbsent: true })).toBe(true);
    });

    it("reports no TTL for persistent and missing keys, and expire() only on existing keys", async () => {
      await store.set("forever", "x");
      expect(await store.ttlMs("forever")).toBeNull();
      expect(await store.ttlMs("nothing")).toBeNull();
      expect(await store.expire("nothing", 1000)).toBe(false);
      expect(await store.expire("forever", 60)).toBe(true);
      await sleep(120);
      expect(await store.get("forever")).toBeNull();
    });

    it("increments atomically, including under concurrency", async () => {
      expect(await store.incrementBy("counter", 1)).toBe(1);
      expect(await store.incrementBy("counter", -3)).toBe(-2);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.incrementBy("burst", 1)));
      expect(new Set(results).size).toBe(50);
      expect(await store.get("burst")).toBe("50");
    });

    it("puts a TTL on a counter in the same step as the increment", async () => {
      await store.incrementBy("window", 1, { ttlMs: 60 });
      expect(await store.ttlMs("window")).not.toBeNull();
      await sleep(120);
      expect(await store.incrementBy("window", 1)).toBe(1);
    });

    it("delivers published messages to subscribers until they unsubscribe", async () => {
      const received: string[] = [];
      const unsubscribe = await store.subscribe("events", (message) => received.push(message));
      await store.publish("events", "one");
      await expect.poll(() => received).toEqual(["one"]);
      await unsubscribe();
      await store.publish("events", "two");
      await sleep(50);
      expect(received).toEqual(["one"]);
    });

    it("answers ping with a latency", async () => {
      const result = await store.ping(1000);
      expect(result.ok).toBe(true);
    });
  });
}
