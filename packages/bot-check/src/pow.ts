// Self-hosted proof of work with ALTCHA (altcha-lib on the server, the `altcha` web component in the browser).
//
// What it guarantees:
// - Every accepted payload solves a challenge this server signed (HMAC-SHA-256 with `hmacKey`, compared in constant
//   time by altcha-lib), so a client cannot invent, alter or lower the difficulty of a challenge.
// - A challenge is accepted only until it expires (`ttlMs`, default 10 minutes) and only once: the challenge's random
//   nonce is recorded in the key-value store (set-if-absent) until after it expires, so one solution cannot be
//   replayed, also not across instances sharing the Redis.
// - Any error (malformed input, store down, library error) refuses the request: it fails closed.
//
// What it does not do:
// - Stop a determined bot. Proof of work only makes each attempt cost CPU time (about a second of a browser's work at
//   the defaults); a bot farm with enough CPU still gets through. Rate limits per IP and per email are the other half.
// - Tell a human from a headless browser; BotID (`createBotIdCheck`) does that where we run on Vercel.
// - Bind a solution to a form, an IP or an account: a solved payload may be used for any one request within its
//   lifetime.
// - Protect a store without shared state: with the in-process store, single use holds per process only.
import { createHash, createHmac, randomInt } from "node:crypto";
import type { KeyValueStore } from "@agentbot/kv";
import { createChallenge as createAltchaChallenge, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import type { AltchaChallenge, BotCheck, BotCheckResult } from "./bot-check.ts";

export interface PowBotCheckOptions {
  /** Signs challenges. At least 32 characters of secret; the same on every instance. */
  readonly hmacKey: string;
  /** Remembers used challenges (Redis in production, so single use holds across instances). */
  readonly kv: KeyValueStore;
  /**
   * The solution counter is drawn from 1..maxNumber, so a browser derives maxNumber/2 keys on average. Default 10,000
   * (about a second in a browser at the default cost).
   */
  readonly maxNumber?: number;
  /** PBKDF2 iterations per attempt. Default 1,000. */
  readonly cost?: number;
  /** How long a challenge may be solved and submitted. Default 10 minutes. */
  readonly ttlMs?: number;
  /** Clock for expiry (tests). altcha-lib also checks expiry against the real clock. */
  readonly now?: () => Date;
}

/** The defaults of `createPowBotCheck`'s cost and lifetime (see PowBotCheckOptions; measured in bench/pow-solve.ts). */
export const powDefaults = { maxNumber: 10_000, cost: 1_000, ttlMs: 10 * 60_000 } as const;

/** ALTCHA's default algorithm, bundled with the widget (WebCrypto PBKDF2 in web workers). */
const ALGORITHM = "PBKDF2/SHA-256";
/** A widget payload is a few hundred bytes; anything much larger is refused before parsing. */
const MAX_PAYLOAD_LENGTH = 4_096;
/** Used-challenge markers outlive the challenge by this much, covering clock differences between instances. */
const MARKER_SLACK_MS = 60_000;
const USED_KEY_PREFIX = "botcheck:pow:used:";

/** The proof-of-work bot check. See the comment at the top of this file for what it does and does not guarantee. */
export function createPowBotCheck(options: PowBotCheckOptions): BotCheck {
  const { kv } = options;
  const maxNumber = options.maxNumber ?? powDefaults.maxNumber;
  const cost = options.cost ?? powDefaults.cost;
  const ttlMs = options.ttlMs ?? powDefaults.ttlMs;
  const now = options.now ?? (() => new Date());
  if (typeof options.hmacKey !== "string" || options.hmacKey.length < 32) {
    throw new Error("createPowBotCheck: hmacKey must be a secret of at least 32 characters");
  }
  assertPositiveInteger("maxNumber", maxNumber);
  assertPositiveInteger("cost", cost);
  assertPositiveInteger("ttlMs", ttlMs);
  // Two secrets from one: one signs the challenge, the other the expected derived key (which lets verification skip
  // re-deriving it). Neither is ever sent to the browser.
  const hmacSignatureSecret = options.hmacKey;
  const hmacKeySignatureSecret = createHmac("sha256", options.hmacKey).update("altcha-key-signature").digest("hex");

  async function verify(payload: string | null | undefined): Promise<BotCheckResult> {
    if (payload === null || payload === undefined || payload.trim() === "") return { ok: false, reason: "missing" };
    if (payload.length > MAX_PAYLOAD_LENGTH) return { ok: false, reason: "invalid" };
    const parsed = parsePayload(payload);
    if (!parsed) return { ok: false, reason: "invalid" };

    const result = await verifySolution({
      challenge: parsed.challenge,
      solution: parsed.solution,
      deriveKey,
      hmacSignatureSecret,
      hmacKeySignatureSecret,
    });
    if (result.expired) return { ok: false, reason: "expired" };
    if (!result.verified) return { ok: false, reason: "invalid" };
    // Signed by us, so expiresAt is ours; also check it against the injected clock.
    const expiresAtMs = (parsed.challenge.parameters.expiresAt ?? 0) * 1000;
    const at = now().getTime();
    if (!(expiresAtMs > at)) return { ok: false, reason: "expired" };

    // Only verified payloads reach the store, so forged ones cannot fill it.
    const firstUse = await kv.set(usedKey(parsed.challenge.parameters.nonce), "1", {
      onlyIfAbsent: true,
      ttlMs: expiresAtMs - at + MARKER_SLACK_MS,
    });
    return firstUse ? { ok: true } : { ok: false, reason: "replayed" };
  }

  return {
    kind: "pow",
    async createChallenge(): Promise<AltchaChallenge> {
      const challenge = await createAltchaChallenge({
        algorithm: ALGORITHM,
        cost,
        counter: randomInt(1, maxNumber + 1),
        deriveKey,
        // Whole seconds (the widget's unit), rounded up so a challenge never expires before its ttl.
        expiresAt: Math.ceil((now().getTime() + ttlMs) / 1000),
        hmacSignatureSecret,
        hmacKeySignatureSecret,
      });
      if (!challenge.signature) throw new Error("altcha-lib returned an unsigned challenge");
      return { parameters: challenge.parameters, signature: challenge.signature };
    },
    async verify(input) {
      try {
        return await verify(input.payload);
      } catch {
        // altcha-lib throws only on configuration errors and the store only when unreachable: refuse either way.
        return { ok: false, reason: "unavailable" };
      }
    },
  };
}

interface ParsedPayload {
  challenge: { parameters: AltchaChallenge["parameters"]; signature: string };
  solution: { counter: number; derivedKey: string };
}

/** The widget's payload: base64 of `{ challenge: { parameters, signature }, solution: { counter, derivedKey } }`. */
function parsePayload(payload: string): ParsedPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
  } catch {
    return null;
  }
  if (!isRecord(value) || !isRecord(value.challenge) || !isRecord(value.solution)) return null;
  const { parameters, signature } = value.challenge;
  const { counter, derivedKey } = value.solution;
  if (!isRecord(parameters) || typeof signature !== "string") return null;
  if (typeof parameters.nonce !== "string" || typeof parameters.expiresAt !== "number") return null;
  if (typeof counter !== "number" || typeof derivedKey !== "string") return null;
  return {
    challenge: { parameters: parameters as unknown as AltchaChallenge["parameters"], signature },
    solution: { counter, derivedKey },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Nonces are hashed so the key stays short and of one shape whatever a (verified) payload contains. */
function usedKey(nonce: string): string {
  return USED_KEY_PREFIX + createHash("sha256").update(nonce).digest("hex");
}

function assertPositiveInteger(name: string, value: number) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`createPowBotCheck: ${name} must be a positive integer`);
}
