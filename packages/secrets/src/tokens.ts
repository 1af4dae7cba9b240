import { createHash, randomBytes } from "node:crypto";

/** A random token of `bytes` bytes (≥ 32 for credentials), base64url, with an optional readable prefix. */
export function randomToken(bytes = 32, prefix = ""): string {
  if (bytes < 16) throw new RangeError("tokens need at least 16 random bytes");
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}
