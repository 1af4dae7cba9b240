import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";

/**
 * The platform's device identity towards a runtime's gateway: an Ed25519 key pair. The gateway knows a device by
 * `sha256(raw 32-byte public key)` in hex and checks, at every connect, a signature over the connection's parameters
 * and the server's one-time challenge nonce (payload format v3, as OpenClaw's own client builds it in
 * `packages/gateway-client/src/device-auth.ts`). The private key is only ever exported as PKCS#8 PEM for the caller to
 * seal (the backend keeps it in its secret box); this module never writes it anywhere.
 */

export interface DeviceIdentity {
  /** sha256 hex of the raw public key: the gateway's device id. */
  readonly deviceId: string;
  /** The raw 32-byte public key, base64url (what `connect.params.device.publicKey` carries). */
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

export function generateDeviceIdentity(): DeviceIdentity {
  const { privateKey } = generateKeyPairSync("ed25519");
  return deviceIdentityFromPrivateKey(privateKey);
}

/** Loads an identity from the PKCS#8 PEM that `exportDevicePrivateKey` produced. Throws on anything but Ed25519. */
export function deviceIdentityFromPem(privateKeyPem: string): DeviceIdentity {
  return deviceIdentityFromPrivateKey(createPrivateKey(privateKeyPem));
}

export function exportDevicePrivateKey(identity: DeviceIdentity): string {
  return identity.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

function deviceIdentityFromPrivateKey(privateKey: KeyObject): DeviceIdentity {
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new TypeError(`a device key must be Ed25519, got ${privateKey.asymmetricKeyType ?? "unknown"}`);
  }
  // The SPKI DER of an Ed25519 key is a fixed 12-byte header followed by the 32 raw key bytes.
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const raw = spki.subarray(spki.length - 32);
  return {
    deviceId: createHash("sha256").update(raw).digest("hex"),
    publicKey: raw.toString("base64url"),
    privateKey,
  };
}

export interface DeviceAuthFields {
  readonly clientId: string;
  readonly clientMode: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly signedAtMs: number;
  /** The credential sent in `auth.token` (gateway token or device token), or null when none. */
  readonly token: string | null;
  readonly nonce: string;
  readonly platform: string;
  readonly deviceFamily?: string;
}

/** `connect.params.device`: the identity and its signature over this connection's parameters. */
export function signDeviceAuth(identity: DeviceIdentity, fields: DeviceAuthFields) {
  const payload = [
    "v3",
    identity.deviceId,
    fields.clientId,
    fields.clientMode,
    fields.role,
    fields.scopes.join(","),
    String(fields.signedAtMs),
    fields.token ?? "",
    fields.nonce,
    normalizeMetadata(fields.platform),
    normalizeMetadata(fields.deviceFamily),
  ].join("|");
  return {
    id: identity.deviceId,
    publicKey: identity.publicKey,
    signature: sign(null, Buffer.from(payload, "utf8"), identity.privateKey).toString("base64url"),
    signedAt: fields.signedAtMs,
    nonce: fields.nonce,
  };
}

/** Trimmed, ASCII upper case lowered: the gateway normalises platform and family the same way before verifying. */
function normalizeMetadata(value: string | undefined): string {
  return (value ?? "").trim().replace(/[A-Z]/g, (char) => char.toLowerCase());
}
