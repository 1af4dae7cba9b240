import { generateKeyPairSync, randomBytes } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";

export const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
export const TRANSACTION_HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * A fresh EVM address as an account has one: the last 20 bytes of keccak-256 of a new secp256k1 public key
 * (uncompressed, without its 0x04 prefix), in EIP-55 mixed-case checksum form as CDP answers it. The private key is
 * dropped: the stand-in never signs for its accounts.
 */
export function newEvmAddress(): string {
  const { x, y } = generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey.export({ format: "jwk" });
  if (x === undefined || y === undefined) throw new Error("node:crypto exported a secp256k1 JWK without x/y");
  const publicKey = Buffer.concat([Buffer.from(x, "base64url"), Buffer.from(y, "base64url")]);
  return toChecksumAddress(`0x${Buffer.from(keccak_256(publicKey)).subarray(12).toString("hex")}`);
}

/** EIP-55: each hex letter upper-cased where the matching nibble of keccak-256(lower-case hex) is 8 or more. */
export function toChecksumAddress(address: string): string {
  if (!EVM_ADDRESS.test(address)) throw new RangeError(`not an EVM address: ${JSON.stringify(address)}`);
  const hex = address.slice(2).toLowerCase();
  const hash = Buffer.from(keccak_256(Buffer.from(hex, "ascii"))).toString("hex");
  let out = "0x";
  for (let i = 0; i < hex.length; i++) {
    const char = hex.charAt(i);
    out += Number.parseInt(hash.charAt(i), 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/** A random transaction hash (0x and 64 hex digits). */
export function randomTransactionHash(): string {
  return `0x${randomBytes(32).toString("hex")}`;
}
