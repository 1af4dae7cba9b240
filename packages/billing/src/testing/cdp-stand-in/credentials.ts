import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";

/**
 * CDP credentials in the formats CDP issues them and `@coinbase/cdp-sdk` 1.57 reads them:
 * - the API key id is a UUID; its secret is an Ed25519 key as base64 of 64 bytes (32-byte seed, then the 32-byte public
 *   key). CDP's older keys are EC P-256 in PEM, which the stand-in also accepts (see loadApiKey);
 * - the wallet secret is base64 of the DER (PKCS#8) encoding of a P-256 private key.
 */
export interface CdpTestCredentials {
  apiKeyId: string;
  apiKeySecret: string;
  walletSecret: string;
}

export function generateCdpTestCredentials(): CdpTestCredentials {
  const apiKey = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  if (apiKey.d === undefined || apiKey.x === undefined)
    throw new Error("node:crypto exported an Ed25519 JWK without d/x");
  const apiKeySecret = Buffer.concat([Buffer.from(apiKey.d, "base64url"), Buffer.from(apiKey.x, "base64url")]);
  const wallet = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
  return {
    apiKeyId: randomUUID(),
    apiKeySecret: apiKeySecret.toString("base64"),
    walletSecret: wallet.export({ format: "der", type: "pkcs8" }).toString("base64"),
  };
}

/** The public half of an API key secret, and the JWT algorithm the SDK signs with for it. */
export interface ApiVerificationKey {
  readonly publicKey: KeyObject;
  readonly alg: "EdDSA" | "ES256";
}

/**
 * Reads an API key secret as the SDK does (an EC PEM first, else base64 of 64 bytes as Ed25519) and answers its
 * public key. Throws, naming the problem, for anything else or for an Ed25519 secret whose two halves do not belong
 * together (the SDK would sign with the seed and send a key CDP could never match).
 */
export function loadApiKey(apiKeySecret: string): ApiVerificationKey {
  if (apiKeySecret.includes("-----BEGIN")) {
    const key = createPrivateKey(apiKeySecret);
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      throw new TypeError("apiKeySecret: a PEM API key must be an EC P-256 private key");
    }
    return { publicKey: createPublicKey(key), alg: "ES256" };
  }
  const bytes = Buffer.from(apiKeySecret, "base64");
  if (bytes.length !== 64) {
    throw new TypeError(
      "apiKeySecret: expected an Ed25519 key as base64 of 64 bytes (seed, then public key), or EC PEM",
    );
  }
  const seed = bytes.subarray(0, 32);
  const claimedPublic = bytes.subarray(32);
  const privateKey = createPrivateKey({
    key: { kty: "OKP", crv: "Ed25519", d: seed.toString("base64url"), x: claimedPublic.toString("base64url") },
    format: "jwk",
  });
  const publicKey = createPublicKey(privateKey);
  const derivedX = publicKey.export({ format: "jwk" }).x;
  if (derivedX === undefined || !Buffer.from(derivedX, "base64url").equals(claimedPublic)) {
    throw new TypeError("apiKeySecret: the last 32 bytes are not the public key of the first 32 (seed)");
  }
  return { publicKey, alg: "EdDSA" };
}

/** Reads a wallet secret (base64 DER PKCS#8, P-256) and answers its public key. Throws for anything else. */
export function loadWalletKey(walletSecret: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(walletSecret, "base64"), format: "der", type: "pkcs8" });
  } catch {
    throw new TypeError("walletSecret: expected base64 of a DER (PKCS#8) private key");
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new TypeError("walletSecret: expected an EC P-256 private key");
  }
  return createPublicKey(key);
}
