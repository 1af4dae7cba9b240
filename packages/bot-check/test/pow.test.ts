import { setTimeout as sleep } from "node:timers/promises";
import { createInProcessStore, createRedisStore } from "@agentbot/kv";
import type { KeyValueStore } from "@agentbot/kv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBotCheck, createPowBotCheck } from "../src/index.ts";
import type { AltchaChallenge, BotCheck } from "../src/index.ts";
import { testRedisUrl } from "./env.ts";
import { decodePayload, encodePayload, solveLikeTheWidget } from "./solve.ts";

const hmacKey = "test-hmac-key-0123456789abcdef-0123456789";
const headers = new Headers();

describe("proof-of-work bot check", () => {
  let kv: KeyValueStore;
  let check: BotCheck;
  beforeEach(() => {
    kv = createInProcessStore();
    check = createPowBotCheck({ hmacKey, kv, maxNumber: 300 });
  });
  afterEach(async () => {
    await kv.close();
  });

  it("issues a signed, expiring ALTCHA v2 challenge in the shape the widget expects", async () => {
    const before = Date.now();
    const challenge = await check.createChallenge();
    expect(check.kind).toBe("pow");
    expect(challenge).toEqual({
      parameters: {
        algorithm: "PBKDF2/SHA-256",
        cost: 1000,
        expiresAt: expect.any(Number) as number,
        keyLength: 32,
        keyPrefix: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
        keySignature: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        nonce: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
        salt: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      },
      signature: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
    });
    const expiresAtMs = challenge!.parameters.expiresAt! * 1000;
    expect(expiresAtMs).toBeGreaterThanOrEqual(before + 10 * 60_000);
    expect(expiresAtMs).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 1000);
    // Every challenge is new.
    const other = await check.createChallenge();
    expect(other!.parameters.nonce).not.toBe(challenge!.parameters.nonce);
  });

  it("accepts a solved challenge (real proof of work with altcha-lib's solver)", async () => {
    const payload = await solveLikeTheWidget(await check.createChallenge());
    expect(await check.verify({ payload, headers })).toEqual({ ok: true });
  });

  it("accepts a solution at the default difficulty", async () => {
    const defaults = createPowBotCheck({ hmacKey, kv });
    const payload = await solveLikeTheWidget(await defaults.createChallenge());
    expect(await defaults.verify({ payload, headers })).toEqual({ ok: true });
  }, 30_000);

  it("refuses a missing payload", async () => {
    for (const payload of [null, undefined, "", "  "]) {
      expect(await check.verify({ payload, headers })).toEqual({ ok: false, reason: "missing" });
    }
  });

  it("refuses malformed payloads", async () => {
    const malformed = [
      "not base64 json",
      encodePayload("a string"),
      encodePayload({ challenge: null, solution: null, test: true }), // the widget's test mode
      encodePayload({ challenge: { parameters: {}, signature: "x" }, solution: { counter: 1, derivedKey: "00" } }),
      "A".repeat(10_000),
    ];
    for (const payload of malformed) {
      expect(await check.verify({ payload, headers })).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("refuses tampered payloads: signature, parameters, solution", async () => {
    const payload = await solveLikeTheWidget(await check.createChallenge());
    const original = decodePayload(payload);
    const tamper = (change: (copy: ReturnType<typeof decodePayload>) => void) => {
      const copy = structuredClone(original);
      change(copy);
      return encodePayload(copy);
    };
    const flip = (hex: string) => (hex.startsWith("0") ? "1" : "0") + hex.slice(1);
    const tampered = [
      tamper((p) => (p.challenge.signature = flip(p.challenge.signature))),
      tamper((p) => (p.challenge.parameters.keyPrefix = "00")), // an easier challenge
      tamper((p) => (p.challenge.parameters.expiresAt = Math.floor(Date.now() / 1000) + 86_400)), // a longer life
      tamper((p) => (p.solution.derivedKey = flip(p.solution.derivedKey))),
      // (The counter is not checked: the 32-byte derived key, of which the challenge reveals only half, is the proof.)
      tamper((p) => delete (p.challenge as { signature?: string }).signature),
    ];
    for (const bad of tampered)
      expect(await check.verify({ payload: bad, headers })).toEqual({ ok: false, reason: "invalid" });
    // The untouched payload still passes: the refusals above were about the changes.
    expect(await check.verify({ payload, headers })).toEqual({ ok: true });
  });

  it("refuses a challenge signed with another key", async () => {
    const other = createPowBotCheck({ hmacKey: `${hmacKey}-other`, kv, maxNumber: 300 });
    const payload = await solveLikeTheWidget(await other.createChallenge());
    expect(await check.verify({ payload, headers })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses an expired challenge (injected clock)", async () => {
    let now = new Date();
    const clocked = createPowBotCheck({ hmacKey, kv, maxNumber: 300, now: () => now });
    const payload = await solveLikeTheWidget(await clocked.createChallenge());
    now = new Date(now.getTime() + 10 * 60_000 + 1_000);
    expect(await clocked.verify({ payload, headers })).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses an expired challenge (short ttl, real clock)", async () => {
    const short = createPowBotCheck({ hmacKey, kv, maxNumber: 50, ttlMs: 1 });
    const challenge = (await short.createChallenge()) as AltchaChallenge;
    const payload = await solveLikeTheWidget(challenge);
    await sleep(Math.max(0, challenge.parameters.expiresAt! * 1000 - Date.now()) + 1_100);
    expect(await short.verify({ payload, headers })).toEqual({ ok: false, reason: "expired" });
  });

  it("fails closed when the key-value store is unavailable", async () => {
    const payload = await solveLikeTheWidget(await check.createChallenge());
    await kv.close();
    expect(await check.verify({ payload, headers })).toEqual({ ok: false, reason: "unavailable" });

    const unreachable = createRedisStore("redis://127.0.0.1:1", { commandTimeoutMs: 300 });
    const onDeadRedis = createPowBotCheck({ hmacKey, kv: unreachable, maxNumber: 300 });
    const fresh = await solveLikeTheWidget(await onDeadRedis.createChallenge());
    expect(await onDeadRedis.verify({ payload: fresh, headers })).toEqual({ ok: false, reason: "unavailable" });
    await unreachable.close();
  });

  it("refuses weak configuration", () => {
    expect(() => createPowBotCheck({ hmacKey: "short", kv })).toThrow(/at least 32/);
    expect(() => createPowBotCheck({ hmacKey, kv, maxNumber: 0 })).toThrow(/maxNumber/);
    expect(() => createPowBotCheck({ hmacKey, kv, ttlMs: 1.5 })).toThrow(/ttlMs/);
  });

  it("is what createBotCheck builds for provider pow", async () => {
    const viaFactory = createBotCheck({ provider: "pow", hmacKey, kv, maxNumber: 300 });
    expect(viaFactory.kind).toBe("pow");
    const payload = await solveLikeTheWidget(await viaFactory.createChallenge());
    expect(await check.verify({ payload, headers })).toEqual({ ok: true });
  });
});

describe("proof-of-work bot check on Redis", () => {
  it("accepts a solution on Redis", async () => {
    const kv = createRedisStore(testRedisUrl, { keyPrefix: `test:${crypto.randomUUID()}:` });
    const check = createPowBotCheck({ hmacKey, kv, maxNumber: 300 });
    const payload = await solveLikeTheWidget(await check.createChallenge());
    expect(await check.verify({ payload, headers })).toEqual({ ok: true });
    await kv.close();
  });
});
