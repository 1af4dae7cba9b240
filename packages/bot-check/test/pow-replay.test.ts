import { createHash, randomUUID } from "node:crypto";
import { createInProcessStore, createRedisStore } from "@agentbot/kv";
import type { KeyValueStore } from "@agentbot/kv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPowBotCheck } from "../src/index.ts";
import { testRedisUrl } from "./env.ts";
import { decodePayload, solveLikeTheWidget } from "./solve.ts";

const hmacKey = "test-hmac-key-0123456789abcdef-0123456789";
const headers = new Headers();

// A solved payload is single use, on each store; on Redis also across instances.
for (const [name, makeStore] of [
  ["redis", () => createRedisStore(testRedisUrl, { keyPrefix: `test:${randomUUID()}:` })],
  ["in-process", () => createInProcessStore()],
] as const) {
  describe(`proof-of-work replay (${name} store)`, () => {
    let kv: KeyValueStore;
    beforeEach(() => {
      kv = makeStore();
    });
    afterEach(async () => {
      await kv.close();
    });

    it("accepts a solution once and refuses it after", async () => {
      const check = createPowBotCheck({ hmacKey, kv, maxNumber: 300 });
      const payload = await solveLikeTheWidget(await check.createChallenge());
      expect(await check.verify({ payload, headers })).toEqual({ ok: true });
      expect(await check.verify({ payload, headers })).toEqual({ ok: false, reason: "replayed" });
      // A new challenge is fine.
      const next = await solveLikeTheWidget(await check.createChallenge());
      expect(await check.verify({ payload: next, headers })).toEqual({ ok: true });
    });

    it("accepts exactly one of many concurrent submissions of one solution", async () => {
      const check = createPowBotCheck({ hmacKey, kv, maxNumber: 300 });
      const payload = await solveLikeTheWidget(await check.createChallenge());
      const results = await Promise.all(Array.from({ length: 10 }, () => check.verify({ payload, headers })));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === "replayed")).toHaveLength(9);
    });

    it("remembers a used challenge until after it expires", async () => {
      const check = createPowBotCheck({ hmacKey, kv, maxNumber: 300, ttlMs: 60_000 });
      const payload = await solveLikeTheWidget(await check.createChallenge());
      const { nonce } = decodePayload(payload).challenge.parameters;
      await check.verify({ payload, headers });
      const remaining = await kv.ttlMs(`botcheck:pow:used:${createHash("sha256").update(String(nonce)).digest("hex")}`);
      expect(remaining).toBeGreaterThan(60_000);
      expect(remaining).toBeLessThanOrEqual(60_000 + 61_000);
    });
  });
}

describe("proof-of-work replay across instances", () => {
  it("refuses on a second instance a solution the first accepted (shared Redis)", async () => {
    const prefix = `test:${randomUUID()}:`;
    const kvA = createRedisStore(testRedisUrl, { keyPrefix: prefix });
    const kvB = createRedisStore(testRedisUrl, { keyPrefix: prefix });
    const instanceA = createPowBotCheck({ hmacKey, kv: kvA, maxNumber: 300 });
    const instanceB = createPowBotCheck({ hmacKey, kv: kvB, maxNumber: 300 });
    const payload = await solveLikeTheWidget(await instanceA.createChallenge());
    expect(await instanceB.verify({ payload, headers })).toEqual({ ok: true });
    expect(await instanceA.verify({ payload, headers })).toEqual({ ok: false, reason: "replayed" });
    await Promise.all([kvA.close(), kvB.close()]);
  });
});
