// Empty databases and throwaway migration directories for the migration tests.
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase, dropDatabase } from "../../src/admin.ts";
import { migrationsDir } from "../../src/paths.ts";
import { testDatabaseAdminUrl } from "../../src/testing/index.ts";

const cleanups: (() => Promise<void>)[] = [];

/** Runs (in reverse order) everything the fixtures below created. Call from afterEach/afterAll. */
export async function cleanupFixtures(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()?.();
}

/** A new empty database (no migrations applied); dropped by cleanupFixtures. */
export async function emptyDatabase(): Promise<string> {
  const adminUrl = testDatabaseAdminUrl();
  const name = `agentbot_dbtest_${randomBytes(5).toString("hex")}`;
  const url = await createDatabase(adminUrl, name);
  cleanups.push(() => dropDatabase(adminUrl, name));
  return url;
}

/** A copy of prisma/migrations in a temp directory, plus `extra` migrations (name → SQL). */
export async function migrationsCopy(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "agentbot-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(migrationsDir, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) await writeMigration(dir, name, sql);
  return dir;
}

export async function writeMigration(dir: string, name: string, sql: string | Uint8Array): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

/** Runs one query on its own connection. */
export async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export interface MigrationRecord {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export function migrationRecords(url: string): Promise<MigrationRecord[]> {
  return query<MigrationRecord>(url, "SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name");
}
