import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateEncryptionKey } from "@agentbot/secrets";
import { createTestDatabase } from "@agentbot/db/testing";
import { findFreePort } from "@agentbot/local-infra";
import { describe, expect, it } from "vitest";
import { testRedisUrl } from "./env.ts";
import { spawnBackend } from "./support/spawn-backend.ts";

describe("backend startup", () => {
  it("refuses to start in production without a service token, naming the variable", async () => {
    const backend = spawnBackend({ NODE_ENV: "production", DATABASE_URL: "postgresql://127.0.0.1:1/none" });
    expect(await backend.exited).toBe(78);
    expect(backend.output().stderr).toContain("BACKEND_SERVICE_TOKEN is required when NODE_ENV=production");
  });

  it("names each missing or malformed variable", async () => {
    const backend = spawnBackend({ NODE_ENV: "production", BACKEND_SERVICE_TOKEN: "t".repeat(40), PORT: "99999" });
    expect(await backend.exited).toBe(78);
    const { stderr } = backend.output();
    expect(stderr).toContain("DATABASE_URL is required");
    expect(stderr).toContain("PORT");
    expect(stderr).not.toContain("t".repeat(40));
  });

  it("boots: migrates, registers itself, serves, and on SIGTERM deregisters and exits 0", async () => {
    const database = await createTestDatabase();
    const port = await findFreePort();
    const token = randomBytes(32).toString("hex");
    const backend = spawnBackend({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      BACKEND_SERVICE_TOKEN: token,
      SECRETS_ENCRYPTION_KEYS: generateEncryptionKey(1),
      AGENTBOT_LOCAL_RUNTIME: "fake",
      AGENTBOT_AGENTS_DIR: path.join(tmpdir(), `agentbot-startup-${port}`),
      PORT: String(port),
      LOG_LEVEL: "info",
    });
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      await expect
        .poll(async () => (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.status, {
          timeout: 20_000,
          interval: 100,
        })
        .toBe(200);
      const status = await fetch(`${baseUrl}/api/status`, { headers: { authorization: `Bearer ${token}` } });
      expect(status.status).toBe(200);
      expect(await database.db.backendInstance.count()).toBe(1);

      backend.child.kill("SIGTERM");
      expect(await backend.exited).toBe(0);
      expect(await database.db.backendInstance.count()).toBe(0);
      const { stdout } = backend.output();
      expect(stdout).toContain("backend listening");
      expect(stdout).not.toContain(token);
    } finally {
      backend.child.kill("SIGKILL");
      await database.drop();
    }
  });
});
