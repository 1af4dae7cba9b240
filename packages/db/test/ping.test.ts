import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, DbUnavailableError, pingDb } from "../src/index.ts";
import { createTestDatabase, testDatabaseAdminUrl } from "../src/testing/index.ts";
import type { TestDatabase } from "../src/testing/index.ts";
import { closedPort, startSilentServer, startTcpProxy, withHostPort } from "./support/tcp-proxy.ts";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

describe("pingDb", () => {
  it("answers with the latency when the server is up", async () => {
    const result = await pingDb(testDb.db, 2_000);
    expect(result).toMatchObject({ ok: true });
    expect(result.latencyMs).toBeLessThan(2_000);
  });

  it("fails fast with DbUnavailableError when nothing listens", async () => {
    const db = createDb(`postgresql://postgres@127.0.0.1:${await closedPort()}/x`);
    try {
      const result = await pingDb(db, 2_000);
      expect(result.ok).toBe(false);
      expect(result.latencyMs).toBeLessThan(1_000);
      if (!result.ok) expect(result.error).toBeInstanceOf(DbUnavailableError);
      if (!result.ok)
        expect(result.error.message).toMatch(/^Database unavailable: cannot reach the server at 127\.0\.0\.1:\d+$/);
    } finally {
      await closeDb(db);
    }
  });

  it("gives up at the deadline when the server accepts but never answers", async () => {
    const silent = await startSilentServer();
    const db = createDb(`postgresql://postgres@127.0.0.1:${silent.port}/x`, { connectionTimeoutMs: 10_000 });
    try {
      const result = await pingDb(db, 300);
      expect(result.ok).toBe(false);
      expect(result.latencyMs).toBeGreaterThanOrEqual(290);
      expect(result.latencyMs).toBeLessThan(1_000);
      if (!result.ok) expect(result.error.message).toMatch(/no answer within 300 ms/);
    } finally {
      await silent.close();
      await closeDb(db);
    }
  });

  it("fails while the server is stopped and recovers on the same client once it is back", async () => {
    const admin = new URL(testDb.url);
    const proxy = await startTcpProxy(admin.hostname, Number(admin.port || 5432));
    const db = createDb(withHostPort(testDb.url, "127.0.0.1", proxy.port), { poolSize: 3 });
    try {
      // Fill the pool with live connections, so the stop has idle connections to cut.
      await Promise.all([pingDb(db), pingDb(db), pingDb(db)]);
      expect((await pingDb(db, 2_000)).ok).toBe(true);

      await proxy.stop();
      const down = await pingDb(db, 2_000);
      expect(down.ok).toBe(false);
      expect(down.latencyMs).toBeLessThan(2_100);
      if (!down.ok) expect(down.error).toBeInstanceOf(DbUnavailableError);
      expect((await pingDb(db, 2_000)).ok).toBe(false);

      await proxy.start();
      const up = await pingDb(db, 2_000);
      expect(up).toMatchObject({ ok: true });
      expect(await db.backendInstance.count()).toBe(0);
    } finally {
      await proxy.stop();
      await closeDb(db);
    }
  });

  it("recovers after the server terminates its connections (57P01, as in a restart)", async () => {
    const db = createDb(testDb.url, { poolSize: 3, applicationName: "ping-terminate" });
    const admin = new pg.Client({ connectionString: testDatabaseAdminUrl() });
    await admin.connect();
    try {
      await Promise.all([pingDb(db), pingDb(db), pingDb(db)]);
      const { rows } = await admin.query<{ terminated: boolean }>(
        "SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = 'ping-terminate'",
      );
      expect(rows.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await pingDb(db, 2_000)).toMatchObject({ ok: true });
    } finally {
      await admin.end();
      await closeDb(db);
    }
  });
});
