import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort, isProcessAlive, processDescendants, startEmbeddedPostgres, waitUntil } from "../src/index.ts";
import type { EmbeddedPostgres } from "../src/index.ts";

let root: string;
const running: EmbeddedPostgres[] = [];
const progress: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "local-infra-pg-"));
  // As root the server runs as 'postgres', which must be able to enter this directory.
  await chmod(root, 0o755);
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  await rm(root, { recursive: true, force: true });
});

async function start(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    password: "test-password",
    ephemeral: true,
    onProgress: (message) => progress.push(message),
  });
  running.push(server);
  return server;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function processFamily(pid: number): number[] {
  return [pid, ...processDescendants(pid)];
}

describe("startEmbeddedPostgres", () => {
  it("initialises a cluster, creates the agentbot database, answers queries and stops without leftovers", async () => {
    const dataDir = path.join(root, "basic");
    const server = await start(dataDir, await findFreePort());
    expect(server.timings.initMs).toBeGreaterThan(0);
    expect(server.url).toMatch(/^postgresql:\/\/postgres:test-password@127\.0\.0\.1:\d+\/postgres$/);

    const rows = await query<{ db: string; version: string }>(
      server.databaseUrl("agentbot"),
      "SELECT current_database() AS db, version() AS version",
    );
    expect(rows[0]?.db).toBe("agentbot");
    expect(rows[0]?.version).toMatch(/^PostgreSQL 18/);

    const family = processFamily(server.pid);
    expect(family.length).toBeGreaterThan(1); // the postmaster and its workers
    await server.stop();
    expect(family.filter(isProcessAlive)).toEqual([]);
    await expect(stat(path.join(dataDir, "postmaster.pid"))).rejects.toThrow();

    // The second start reuses the cluster (no initdb) and keeps the data.
    const again = await start(dataDir, server.port);
    expect(again.timings.initMs).toBeNull();
    const databases = await query<{ datname: string }>(again.url, "SELECT datname FROM pg_database");
    expect(databases.map((row) => row.datname)).toContain("agentbot");
    await again.stop();
  });

  it("recovers from a killed run whose postmaster.pid names a pid now used by another process", async () => {
    const dataDir = path.join(root, "stale-pid");
    const port = await findFreePort();
    const server = await start(dataDir, port);
    const family = processFamily(server.pid);
    process.kill(server.pid, "SIGKILL");
    expect(await waitUntil(() => family.every((pid) => !isProcessAlive(pid)), 10_000)).toBe(true);

    // Simulate pid reuse: the stale file now names a live process that is not a postmaster (this test process).
    const pidFile = path.join(dataDir, "postmaster.pid");
    const lines = (await readFile(pidFile, "utf8")).split("\n");
    lines[0] = String(process.pid);
    await writeFile(pidFile, lines.join("\n"));

    progress.length = 0;
    const recovered = await start(dataDir, port);
    expect(progress.some((message) => message.includes("stale postmaster.pid"))).toBe(true);
    expect(await query(recovered.databaseUrl("agentbot"), "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await recovered.stop();
  });

  it("stops a postmaster left running by a killed run before starting its own", async () => {
    const dataDir = path.join(root, "orphan");
    const port = await findFreePort();
    const orphan = await start(dataDir, port);
    const orphanFamily = processFamily(orphan.pid);

    progress.length = 0;
    const next = await start(dataDir, port);
    expect(progress.some((message) => message.includes("still running"))).toBe(true);
    expect(orphanFamily.filter(isProcessAlive)).toEqual([]);
    expect(next.pid).not.toBe(orphan.pid);
    expect(await query(next.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await next.stop();
  });

  it("fails clearly when its port is taken", async () => {
    const dataDir = path.join(root, "busy-port");
    const first = await start(dataDir, await findFreePort());
    await expect(start(path.join(root, "busy-port-2"), first.port)).rejects.toThrow(
      /port \d+ on 127\.0\.0\.1 is already in use/,
    );
    await first.stop();
  });
});
