// Applies committed migrations at boot, recording them in `_prisma_migrations` exactly as `prisma migrate deploy`
// does, so the Prisma CLI and the wasm schema engine see the same history (test/migrations-compat.test.ts proves it).
//
// Why not the engine itself: applying needs no schema diffing, only "run these SQL files in order, once"; a hand-
// written applier is ~150 lines with no wasm at run time, sends each script whole over the simple-query protocol (as
// the native engine does), and can wait for a busy lock instead of failing after Prisma's fixed 10 s.
//
// What it shares with Prisma Migrate: the table's DDL; a row per attempt (uuid id, sha256 checksum of the script,
// started_at, finished_at, logs on failure, applied_steps_count); the session advisory lock 72707369; refusal to go
// on after a failed migration (P3009) or on a non-empty schema without history (P3005); rolled-back rows ignored.
// Stricter than `migrate deploy`: it also refuses when an applied migration's file was edited (checksum mismatch).
import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { mapDbError } from "../errors.ts";
import { checksumMatches, readMigrationsDirectory } from "./files.ts";

/** Prisma Migrate's advisory lock id (prisma-engines, sql-schema-connector: "a unique number we chose"). */
export const MIGRATION_LOCK_ID = 72707369;

/** `_prisma_migrations` as the schema engine creates it on PostgreSQL. */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

/** The applier refused to run, or a migration failed. The message says what to do. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface ApplyMigrationsOptions {
  readonly databaseUrl: string;
  /** prisma/migrations (see `migrationsDir` from `@agentbot/db`). */
  readonly migrationsDir: string;
  /** Progress, one line per event. */
  readonly log?: (message: string) => void;
  /** How long to wait for another process that is migrating the same database (ms). Default 120000. */
  readonly lockTimeoutMs?: number;
  /** How long to wait for the connection (ms). Default 10000. */
  readonly connectionTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
  /** Migrations that were already applied. */
  readonly alreadyApplied: readonly string[];
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

/**
 * Applies every migration in `migrationsDir` that the database has not recorded, in name order, each in its own
 * implicit transaction. Safe to call from several processes at once: they queue on the advisory lock and the later
 * ones find nothing left to do.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  // A missing directory is a packaging mistake (say, an image without prisma/), not "no migrations".
  if (!(await isDirectory(options.migrationsDir))) {
    throw new MigrationError(`The migrations directory ${options.migrationsDir} does not exist.`);
  }
  const { migrations } = await readMigrationsDirectory(options.migrationsDir);
  const client = new pg.Client({
    connectionString: options.databaseUrl,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    application_name: "agentbot-migrate",
  });
  // A dropped connection also fails the query in flight; this listener only keeps the event from crashing the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw mapDbError(error);
  }
  try {
    await acquireLock(client, options.lockTimeoutMs ?? 120_000, log);
    return await applyLocked(client, migrations, log);
  } catch (error) {
    throw error instanceof MigrationError ? error : mapDbError(error);
  } finally {
    // Ending the session releases the advisory lock even when the unlock cannot be sent.
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end().catch(() => {});
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number, log: (message: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      MIGRATION_LOCK_ID,
    ]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        `Timed out after ${timeoutMs} ms waiting for the migration lock (pg_advisory_lock(${MIGRATION_LOCK_ID})): ` +
          "another process is applying migrations to this database, or holds the lock in a stuck session " +
          "(find it in pg_locks where objid = 72707369).",
      );
    }
    if (!told) log("another process is applying migrations; waiting for it to finish");
    told = true;
    await sleep(100 + Math.random() * 150);
  }
}

async function applyLocked(
  client: pg.Client,
  migrations: readonly { name: string; sql: string; checksum: string }[],
  log: (message: string) => void,
): Promise<ApplyMigrationsResult> {
  const { rows: exists } = await client.query<{ present: boolean }>(
    "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present",
  );
  if (!exists[0]?.present) {
    await assertSchemaEmpty(client);
    await client.query(MIGRATIONS_TABLE_DDL);
    log("created the _prisma_migrations table");
  }

  const { rows } = await client.query<MigrationRow>(
    `SELECT id, checksum, migration_name, finished_at, rolled_back_at, started_at, logs
       FROM _prisma_migrations ORDER BY started_at ASC`,
  );
  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length > 0) {
    const details = failed
      .map((row) => `  - ${row.migration_name}, started ${row.started_at.toISOString()}${indentLogs(row.logs)}`)
      .join("\n");
    throw new MigrationError(
      `Refusing to apply migrations: a previous migration failed (Prisma P3009).\n${details}\n` +
        "Its changes were rolled back with its transaction unless the script committed on its own. Fix the " +
        "database if needed, then mark the attempt rolled back (what `prisma migrate resolve --rolled-back` does):\n" +
        "  UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '<name>' AND finished_at IS NULL;\n" +
        "and deploy again.",
    );
  }

  const applied = new Map<string, MigrationRow>();
  for (const row of rows) if (row.rolled_back_at === null) applied.set(row.migration_name, row);

  const edited = migrations.filter((m) => {
    const row = applied.get(m.name);
    return row !== undefined && !checksumMatches(m.sql, row.checksum);
  });
  if (edited.length > 0) {
    throw new MigrationError(
      `Refusing to apply migrations: ${edited.map((m) => m.name).join(", ")} changed after being applied ` +
        "(its checksum differs from _prisma_migrations). Applied migrations must never be edited: restore the " +
        "committed file and put the change in a new migration (./agentbot migrate:new <name>).",
    );
  }

  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    log(`warning: the database has migrations this build does not know (newer code ran here?): ${unknown.join(", ")}`);
  }

  const pending = migrations.filter((m) => !applied.has(m.name));
  const alreadyApplied = migrations.filter((m) => applied.has(m.name)).map((m) => m.name);
  if (pending.length === 0) {
    log(`database is up to date (${alreadyApplied.length} migrations)`);
    return { applied: [], alreadyApplied };
  }
  log(`${pending.length} of ${migrations.length} migrations to apply`);

  const done: string[] = [];
  for (const migration of pending) {
    const started = performance.now();
    const id = randomUUID();
    await client.query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ($1, $2, $3)", [
      id,
      migration.checksum,
      migration.name,
    ]);
    try {
      // No parameters: the simple-query protocol runs the whole script as one implicit transaction.
      await client.query(migration.sql);
    } catch (error) {
      const logs = describeScriptError(migration.name, error);
      await client.query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [logs, id]).catch(() => {});
      const mapped = mapDbError(error);
      if (mapped !== error) throw mapped; // connection lost: not the script's fault
      throw new MigrationError(`${logs}\nNo later migration was applied.`, { cause: error });
    }
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1",
      [id],
    );
    done.push(migration.name);
    log(`applied ${migration.name} in ${Math.round(performance.now() - started)} ms`);
  }
  return { applied: done, alreadyApplied };
}

/** Prisma refuses to start history on a schema that already has objects (P3005); so do we. */
async function assertSchemaEmpty(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     UNION ALL
     SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() AND t.typtype = 'e'
     LIMIT 5`,
  );
  if (rows.length > 0) {
    throw new MigrationError(
      `Refusing to apply migrations: the database schema is not empty (${rows.map((r) => r.name).join(", ")}…) ` +
        "but has no _prisma_migrations table (Prisma P3005). Point DATABASE_URL at an empty database, or baseline " +
        "this one by recording the migrations its schema already contains.",
    );
  }
}

function describeScriptError(name: string, error: unknown): string {
  const e = error as Partial<pg.DatabaseError>;
  const code = typeof e.code === "string" ? e.code : "none";
  const message = error instanceof Error ? error.message : String(error);
  const detail = [
    e.detail && `DETAIL: ${e.detail}`,
    e.hint && `HINT: ${e.hint}`,
    e.position && `POSITION: ${e.position}`,
  ]
    .filter(Boolean)
    .join("\n");
  return `Migration ${name} failed to apply.\nDatabase error code: ${code}\nDatabase error:\n${message}${detail ? `\n${detail}` : ""}`;
}

function indentLogs(logs: string | null): string {
  if (!logs?.trim()) return "";
  return `, with logs:\n${logs
    .trim()
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n")}`;
}

/**
 * Marks a failed attempt as rolled back so the next `applyMigrations` retries it, like `prisma migrate resolve
 * --rolled-back <name>`. Only for after a human has checked the database.
 */
export async function markMigrationRolledBack(databaseUrl: string, migrationName: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect().catch((error: unknown) => {
    throw mapDbError(error);
  });
  try {
    const result = await client.query(
      "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL",
      [migrationName],
    );
    return (result.rowCount ?? 0) > 0;
  } finally {
    await client.end().catch(() => {});
  }
}
