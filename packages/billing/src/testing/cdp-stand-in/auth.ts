import { createHash } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import type { JWTPayload } from "jose";
import type { ApiVerificationKey } from "./credentials.ts";

/**
 * CDP's two request credentials, checked as CDP checks them (docs.cdp.coinbase.com/api-reference/v2/authentication),
 * against what `@coinbase/cdp-sdk` 1.57 sends (src/auth/utils/jwt.ts and http.ts there):
 *
 * - `Authorization: Bearer <JWT>`: signed with the API key (EdDSA for Ed25519 keys, ES256 for EC keys), header `kid`
 *   the key id, claims `iss: "cdp"`, `sub` the key id, `nbf`/`iat` now, `exp` (SDK default: 2 minutes later) and
 *   `uris: ["<METHOD> <host><path>"]` naming this very request (host with port, path without query).
 * - `X-Wallet-Auth: <JWT>` on requests that create or change wallet accounts: ES256 with the wallet secret, claims
 *   `iat`, `nbf`, `jti`, `uris` as above and, when the body has any field, `reqHash`: hex SHA-256 of the body's JSON
 *   with keys sorted recursively (the SDK's `sortKeys` then `JSON.stringify`). It has no `exp`; CDP accepts it for a
 *   minute after `iat`, and once (the stand-in refuses a reused `jti`).
 */

export type AuthResult = { ok: true } | { ok: false; message: string };

/** Clock skew allowed between the SDK and the stand-in, in seconds. */
const CLOCK_TOLERANCE_S = 5;
/** How long a wallet token is accepted after its `iat`. */
const WALLET_TOKEN_MAX_AGE_S = 60;

export interface RequestTarget {
  readonly method: string;
  /** The Host header as received (host:port). */
  readonly host: string;
  /** The URL path as received, without the query. */
  readonly path: string;
}

export async function verifyBearerToken(
  authorization: string | undefined,
  target: RequestTarget,
  apiKeyId: string,
  key: ApiVerificationKey,
): Promise<AuthResult> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const token = match?.[1];
  if (token === undefined) return { ok: false, message: "Missing or malformed Authorization header (Bearer JWT)." };
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, message: "The bearer token is not a JWT." };
  }
  if (kid !== apiKeyId) return { ok: false, message: "Unknown API key." };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.alg],
      issuer: "cdp",
      subject: apiKeyId,
      requiredClaims: ["exp", "nbf"],
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    return { ok: false, message: `Invalid bearer token: ${describe(error)}` };
  }
  if (!urisName(payload, target)) {
    return { ok: false, message: `The bearer token is not for ${requestUri(target)}.` };
  }
  return { ok: true };
}

export async function verifyWalletToken(
  walletAuth: string | undefined,
  target: RequestTarget,
  body: unknown,
  walletKey: KeyObject,
  usedJtis: Set<string>,
): Promise<AuthResult> {
  if (walletAuth === undefined || walletAuth === "") {
    return { ok: false, message: "Missing X-Wallet-Auth header: this request needs a wallet authentication JWT." };
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(walletAuth, walletKey, {
      algorithms: ["ES256"],
      requiredClaims: ["iat", "nbf", "jti"],
      maxTokenAge: WALLET_TOKEN_MAX_AGE_S,
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    return { ok: false, message: `Invalid wallet authentication token: ${describe(error)}` };
  }
  if (!urisName(payload, target)) {
    return { ok: false, message: `The wallet authentication token is not for ${requestUri(target)}.` };
  }
  // The SDK leaves reqHash out for a body without fields; one that is there must still match.
  const reqHash = payload["reqHash"];
  const hashMatches = hasFields(body)
    ? reqHash === requestBodyHash(body)
    : reqHash === undefined || reqHash === requestBodyHash(body ?? {});
  if (!hashMatches) {
    return { ok: false, message: "The wallet authentication token's reqHash does not match the request body." };
  }
  const jti = String(payload.jti);
  if (usedJtis.has(jti)) return { ok: false, message: "The wallet authentication token was already used." };
  usedJtis.add(jti);
  return { ok: true };
}

/** The SDK's body hash: hex SHA-256 of JSON.stringify of the body with object keys sorted at every depth. */
export function requestBodyHash(body: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(sortKeys(body)), "utf8")
    .digest("hex");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortKeys(record[key])]),
  );
}

function hasFields(body: unknown): boolean {
  return typeof body === "object" && body !== null && Object.keys(body).length > 0;
}

function requestUri(target: RequestTarget): string {
  return `${target.method} ${target.host}${target.path}`;
}

function urisName(payload: JWTPayload, target: RequestTarget): boolean {
  const uris = payload["uris"];
  return Array.isArray(uris) && uris.includes(requestUri(target));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
