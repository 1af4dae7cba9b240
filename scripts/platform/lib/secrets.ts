import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { z } from "zod";

/**
 * Secrets `./agentbot start` generates once and keeps in .data/secrets.json (mode 0600, git-ignored): the service
 * token shared by backend and web, the embedded PostgreSQL superuser's password, the web app's auth secret
 * (signs session cookies; the bot-check key is derived from it), the key that encrypts agents' secrets at rest
 * (AES-256-GCM, version 1) and the secret the per-agent model tokens are derived from. They are never printed. A file from an older
 * version gains the missing ones and keeps the rest, so existing sessions and the database stay usable.
 */
const Secrets = z.object({
  backendServiceToken: z.string().min(32),
  postgresPassword: z.string().min(16),
  betterAuthSecret: z.string().min(32),
  /** `SECRETS_ENCRYPTION_KEYS` format: `1:<base64 of 32 bytes>`. */
  encryptionKeys: z.string().regex(/^\d+:[A-Za-z0-9+/=]{43,}$/),
  platformModelTokenSecret: z.string().min(32),
});
export type Secrets = z.infer<typeof Secrets>;

const generate = (): string => randomBytes(32).toString("base64url");

export async function loadOrCreateSecrets(file: string): Promise<{ secrets: Secrets; created: boolean }> {
  let stored: Partial<Secrets> = {};
  try {
    stored = Secrets.partial().parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`${file} is not valid (${String(error)}): fix it or delete it to generate new secrets`, {
        cause: error,
      });
    }
  }
  const secrets: Secrets = {
    backendServiceToken: stored.backendServiceToken ?? generate(),
    postgresPassword: stored.postgresPassword ?? generate(),
    betterAuthSecret: stored.betterAuthSecret ?? generate(),
    encryptionKeys: stored.encryptionKeys ?? `1:${randomBytes(32).toString("base64")}`,
    platformModelTokenSecret: stored.platformModelTokenSecret ?? generate(),
  };
  const created = (Object.keys(secrets) as Array<keyof Secrets>).some((name) => stored[name] === undefined);
  if (created) {
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }
  await chmod(file, 0o600);
  return { secrets, created };
}
