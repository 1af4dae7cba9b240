import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM envelopes for secrets the platform must keep and later use (gateway tokens, bring-your-own provider
 * keys, channel tokens, wallet keys). Node's own crypto (OpenSSL) does the cipher; this module only fixes the format
 * and key versions, so keys can be rotated: new envelopes use the current version, old ones still open with theirs.
 *
 * Envelope: `v1.<keyVersion>.<iv>.<tag>.<ciphertext>` (base64url parts, 12-byte random IV, 16-byte tag).
 * `context` (e.g. the agent id and field name) is bound as additional authenticated data: an envelope copied onto
 * another record or field fails to open instead of leaking that record's secret.
 *
 * Not covered: key storage (keys come from configuration), and secrets that only need checking (hash those instead).
 */
export interface SecretBox {
  readonly currentKeyVersion: number;
  seal(plaintext: string, context: string): string;
  open(envelope: string, context: string): string;
  /** The key version an envelope was sealed with (for re-encryption after a rotation). */
  keyVersionOf(envelope: string): number;
}

export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
}

const FORMAT = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBoxOptions {
  /** Key version → 32-byte key. */
  readonly keys: ReadonlyMap<number, Buffer>;
  /** Defaults to the highest version. */
  readonly currentKeyVersion?: number;
}

function parseEnvelope(envelope: string) {
  const parts = envelope.split(".");
  const [format, version, iv, tag, ciphertext] = parts;
  if (parts.length !== 5 || format !== FORMAT || !version || !iv || !tag || ciphertext === undefined) {
    throw new SecretBoxError("not a sealed secret");
  }
  const keyVersion = Number(version);
  if (!Number.isInteger(keyVersion)) throw new SecretBoxError("not a sealed secret");
  return { keyVersion, iv, tag, ciphertext };
}

export function createSecretBox(options: SecretBoxOptions): SecretBox {
  if (options.keys.size === 0) throw new SecretBoxError("at least one encryption key is required");
  for (const [version, key] of options.keys) {
    if (!Number.isInteger(version) || version < 1) throw new SecretBoxError(`key version ${version} must be ≥ 1`);
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`key version ${version} must be ${KEY_BYTES} bytes`);
  }
  const currentKeyVersion = options.currentKeyVersion ?? Math.max(...options.keys.keys());
  const currentKey = options.keys.get(currentKeyVersion);
  if (!currentKey) throw new SecretBoxError(`no key for the current version ${currentKeyVersion}`);

  return {
    currentKeyVersion,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        FORMAT,
        String(currentKeyVersion),
        ...[iv, tag, ciphertext].map((part) => part.toString("base64url")),
      ].join(".");
    },
    open(envelope, context) {
      const { keyVersion, iv, tag, ciphertext } = parseEnvelope(envelope);
      const key = options.keys.get(keyVersion);
      if (!key) throw new SecretBoxError(`no key for version ${keyVersion}; was it removed from the key list?`);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
        return plaintext.toString("utf8");
      } catch (cause) {
        // Never echo the envelope or the key: just say it did not authenticate.
        throw new SecretBoxError("sealed secret failed authentication (wrong key, context or tampered)", { cause });
      }
    },
    keyVersionOf(envelope) {
      return parseEnvelope(envelope).keyVersion;
    },
  };
}

/**
 * Parses the `SECRETS_ENCRYPTION_KEYS` setting: comma-separated `<version>:<base64 of 32 bytes>`, e.g.
 * `1:3q2+7w…,2:q83v…`. Errors name the entry, never its key material.
 */
export function parseEncryptionKeys(value: string): Map<number, Buffer> {
  const keys = new Map<number, Buffer>();
  for (const [index, entry] of value.split(",").entries()) {
    const separator = entry.indexOf(":");
    const version = Number(entry.slice(0, separator).trim());
    const key = Buffer.from(entry.slice(separator + 1).trim(), "base64");
    if (separator < 1 || !Number.isInteger(version) || version < 1) {
      throw new SecretBoxError(`entry ${index + 1}: expected <version ≥ 1>:<base64 key>`);
    }
    if (key.length !== KEY_BYTES) {
      throw new SecretBoxError(`entry ${index + 1} (version ${version}): the key must be 32 bytes, base64-encoded`);
    }
    if (keys.has(version)) throw new SecretBoxError(`entry ${index + 1}: version ${version} appears twice`);
    keys.set(version, key);
  }
  return keys;
}

/** A new random key in the `SECRETS_ENCRYPTION_KEYS` format for `version`. */
export function generateEncryptionKey(version = 1): string {
  return `${version}:${randomBytes(KEY_BYTES).toString("base64")}`;
}
