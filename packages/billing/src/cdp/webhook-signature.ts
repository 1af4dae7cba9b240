import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Verifies CDP's webhook signature (`X-Hook0-Signature`, docs.cdp.coinbase.com/webhooks/verify-signatures):
 * `t=<unix seconds>,h=<space-separated lower-case header names>,v1=<hex HMAC-SHA256>` over
 * `${t}.${h}.${values of the headers h names, in that order, joined with "."}.${rawBody}`, keyed with the
 * subscription's secret.
 *
 * Guarantees, when it answers `ok: true`:
 * - someone holding the secret signed exactly this raw body, this timestamp and the values of every header named in
 *   `h` (a header named there but absent from the request fails as "mismatch"; it is never read as empty);
 * - the timestamp is within `toleranceSeconds` (default 300) of now, in either direction;
 * - comparison is constant-time per candidate (`timingSafeEqual` on equal-length buffers); several `v1` values are
 *   allowed (secret rotation) and any one matching is enough.
 * It never throws on what a request carries (odd headers, odd lengths, non-hex); it throws only when the caller passes
 * an empty secret or an invalid tolerance, which are configuration errors.
 *
 * Not covered, the caller's job:
 * - replays inside the window: it does not dedupe. Record the event id (`x-hook0-id`) and, for transfers, the
 *   on-chain identity (network, transaction hash, log index) in the same transaction as the effect;
 * - which headers are signed: `h` is the sender's choice. If you rely on a header (the event id), check it is in `h`
 *   yourself, or treat it as unauthenticated;
 * - the body's meaning: it never parses JSON (see cdp-payload.ts). The body must be the bytes as received, decoded as
 *   UTF-8 once; a re-serialised JSON body will not verify;
 * - legacy `v0` signatures (timestamp and body only) are ignored: a header carrying only `v0` is "malformed".
 * "stale" is reported only for an authentic signature: the HMAC is checked first, so a forged header reads "mismatch".
 */

export type CdpWebhookSignatureResult =
  { ok: true; timestamp: number } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export interface VerifyCdpWebhookSignatureInput {
  /** The request body exactly as received. */
  rawBody: string;
  /** The value of `X-Hook0-Signature`, or null when the request had none. */
  signatureHeader: string | null;
  /** The request's headers, to read the values of those named in `h` (looked up case-insensitively). */
  headers: Headers | Record<string, string | undefined>;
  /** The webhook subscription's secret. */
  secret: string;
  /** Now, in unix seconds. Default: the system clock. */
  nowSeconds?: number;
  /** Largest accepted distance between `t` and now, in seconds. Default 300. */
  toleranceSeconds?: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
// An HTTP header field name (RFC 9110 token), lower case as CDP sends them in `h`.
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const UNIX_SECONDS = /^\d{1,12}$/;

interface ParsedSignatureHeader {
  timestamp: number;
  timestampText: string;
  headerNamesText: string;
  headerNames: string[];
  v1: string[];
}

export function verifyCdpWebhookSignature(input: VerifyCdpWebhookSignatureInput): CdpWebhookSignatureResult {
  if (input.secret === "") throw new Error("verifyCdpWebhookSignature: the webhook secret is empty");
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError("verifyCdpWebhookSignature: toleranceSeconds must be a finite number >= 0");
  }

  if (input.signatureHeader === null || input.signatureHeader.trim() === "") return { ok: false, reason: "missing" };
  const parsed = parseSignatureHeader(input.signatureHeader);
  if (parsed === null) return { ok: false, reason: "malformed" };

  const values: string[] = [];
  for (const name of parsed.headerNames) {
    const value = readHeader(input.headers, name);
    if (value === undefined) return { ok: false, reason: "mismatch" };
    values.push(value);
  }
  const signedPayload = `${parsed.timestampText}.${parsed.headerNamesText}.${values.join(".")}.${input.rawBody}`;
  const expected = Buffer.from(createHmac("sha256", input.secret).update(signedPayload, "utf8").digest("hex"), "utf8");

  // Compare against every candidate without stopping early, so timing does not tell which one matched.
  let matched = false;
  for (const candidate of parsed.v1) {
    if (constantTimeEqual(expected, Buffer.from(candidate.toLowerCase(), "utf8"))) matched = true;
  }
  if (!matched) return { ok: false, reason: "mismatch" };

  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance) return { ok: false, reason: "stale" };
  return { ok: true, timestamp: parsed.timestamp };
}

/** `timingSafeEqual` throws on different lengths; a different length is simply "not equal" here. */
function constantTimeEqual(expected: Buffer, candidate: Buffer): boolean {
  if (candidate.length !== expected.length) {
    // Still spend a comparison so a wrong length costs about the same as a wrong value.
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, candidate);
}

function parseSignatureHeader(header: string): ParsedSignatureHeader | null {
  let timestampText: string | undefined;
  let headerNamesText: string | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (timestampText !== undefined) return null;
      timestampText = value;
    } else if (key === "h") {
      if (headerNamesText !== undefined) return null;
      headerNamesText = value;
    } else if (key === "v1") {
      if (value === "") return null;
      v1.push(value);
    }
    // Other keys (v0, future versions) are not ours to judge.
  }
  if (timestampText === undefined || !UNIX_SECONDS.test(timestampText)) return null;
  if (headerNamesText === undefined || v1.length === 0) return null;
  const headerNames = headerNamesText === "" ? [] : headerNamesText.split(" ");
  if (!headerNames.every((name) => HEADER_NAME.test(name))) return null;
  return { timestamp: Number(timestampText), timestampText, headerNamesText, headerNames, v1 };
}

function readHeader(headers: Headers | Record<string, string | undefined>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return value;
  }
  return undefined;
}
