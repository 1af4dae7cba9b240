import { describe, expect, it } from "vitest";
import {
  createSecretBox,
  generateEncryptionKey,
  parseEncryptionKeys,
  randomToken,
  SecretBoxError,
} from "../src/index.ts";

const keysV1 = parseEncryptionKeys(generateEncryptionKey(1));

describe("secret box (AES-256-GCM envelopes)", () => {
  it("opens what it sealed, and never contains the plaintext", () => {
    const box = createSecretBox({ keys: keysV1 });
    const envelope = box.seal("gateway-token-value", "agt_1:gateway_token");
    expect(envelope).not.toContain("gateway-token-value");
    expect(envelope.startsWith("v1.1.")).toBe(true);
    expect(box.open(envelope, "agt_1:gateway_token")).toBe("gateway-token-value");
  });

  it("uses a fresh IV each time", () => {
    const box = createSecretBox({ keys: keysV1 });
    expect(box.seal("same", "ctx")).not.toBe(box.seal("same", "ctx"));
  });

  it("refuses an envelope moved to another record (context is authenticated)", () => {
    const box = createSecretBox({ keys: keysV1 });
    const envelope = box.seal("secret", "agt_1:gateway_token");
    expect(() => box.open(envelope, "agt_2:gateway_token")).toThrow(SecretBoxError);
  });

  it("refuses a tampered ciphertext without echoing it", () => {
    const box = createSecretBox({ keys: keysV1 });
    const envelope = box.seal("secret", "ctx");
    const parts = envelope.split(".");
    const ciphertext = Buffer.from(parts[4]!, "base64url");
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[4] = ciphertext.toString("base64url");
    const tampered = parts.join(".");
    expect(() => box.open(tampered, "ctx")).toThrow(/failed authentication/);
    try {
      box.open(tampered, "ctx");
    } catch (error) {
      expect((error as Error).message).not.toContain(parts[4]);
    }
  });

  it("rotates keys: new envelopes use the newest version, old ones still open", () => {
    const old = createSecretBox({ keys: keysV1 });
    const sealedWithV1 = old.seal("old secret", "ctx");
    const both = new Map([...keysV1, ...parseEncryptionKeys(generateEncryptionKey(2))]);
    const rotated = createSecretBox({ keys: both });
    expect(rotated.currentKeyVersion).toBe(2);
    expect(rotated.keyVersionOf(rotated.seal("new", "ctx"))).toBe(2);
    expect(rotated.open(sealedWithV1, "ctx")).toBe("old secret");
  });

  it("names the bad entry of SECRETS_ENCRYPTION_KEYS without printing key material", () => {
    expect(() => parseEncryptionKeys("1:c2hvcnQ=")).toThrow(/entry 1 \(version 1\): the key must be 32 bytes/);
    expect(() => parseEncryptionKeys(`${generateEncryptionKey(1)},x:abc`)).toThrow(/entry 2/);
    const duplicate = `${generateEncryptionKey(3)},${generateEncryptionKey(3)}`;
    expect(() => parseEncryptionKeys(duplicate)).toThrow(/version 3 appears twice/);
  });

  it("makes tokens with at least 32 random bytes by default", () => {
    const token = randomToken();
    expect(Buffer.from(token, "base64url").length).toBe(32);
    expect(randomToken(32, "ogw_").startsWith("ogw_")).toBe(true);
  });
});
