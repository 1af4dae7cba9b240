export { createSecretBox, generateEncryptionKey, parseEncryptionKeys, SecretBoxError } from "./secret-box.ts";
export type { SecretBox, SecretBoxOptions } from "./secret-box.ts";
export { randomToken, sha256Hex } from "./tokens.ts";
