// Our applier and Prisma's schema engine (the wasm build of what `prisma migrate deploy/status` runs) must agree on
// _prisma_migrations: each accepts a database the other migrated, and they agree on edited and failed migrations.
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, readMigrationsDirectory } from "../src/migrations/index.ts";
import { schemaPath } from "../src/paths.ts";
import { noFilters, openSchemaEngine, toMigrationList } from "../src/schema-engine/index.ts";
import type { SchemaEngineSession } from "../src/schema-engine/index.ts";
import {
  cleanupFixtures,
  emptyDatabase,
  migrationRecords,
  migrationsCopy,
  writeMigration,
} from "./support/fixtures.ts";

afterEach(cleanupFixtures);

const later = "29990101000000_later";
const laterSql = `CREATE TABLE "later_things" ("id" TEXT NOT NULL PRIMARY KEY, "note" TEXT NOT NULL DEFAULT 'a; b');\n`;

async function engineOn(url: string): Promise<SchemaEngineSession> {
  return openSchemaEngine({
    databaseUrl: url,
    schema: { path: schemaPath, content: await readFile(schemaPath, "utf8") },
  });
}

async function withEngine<T>(url: string, fn: (session: SchemaEngineSession) => Promise<T>): Promise<T> {
  const session = await engineOn(url);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

async function engineInputs(dir: string) {
  return toMigrationList(await readMigrationsDirectory(dir));
}

describe("compatibility with Prisma's schema engine", () => {
  it("the engine sees a database migrated by our applier as up to date", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy({ [later]: laterSql });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const migrationsList = await engineInputs(dir);

    await withEngine(url, async ({ engine }) => {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: noFilters,
      });
      expect(diagnosis).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
      expect(await engine.applyMigrations({ migrationsList, filters: noFilters })).toEqual({
        appliedMigrationNames: [],
      });
    });
  });

  it("our applier sees a database migrated by the engine as up to date, with the same records", async () => {
    const ours = await emptyDatabase();
    const theirs = await emptyDatabase();
    const dir = await migrationsCopy({ [later]: laterSql });
    const migrationsList = await engineInputs(dir);

    const applied = await withEngine(theirs, ({ engine }) =>
      engine.applyMigrations({ migrationsList, filters: noFilters }),
    );
    const result = await applyMigrations({ databaseUrl: theirs, migrationsDir: dir });
    expect(result).toEqual({ applied: [], alreadyApplied: applied.appliedMigrationNames });

    await applyMigrations({ databaseUrl: ours, migrationsDir: dir });
    const shape = (records: Awaited<ReturnType<typeof migrationRecords>>) =>
      records.map(({ migration_name, checksum, logs, rolled_back_at, applied_steps_count, finished_at }) => ({
        migration_name,
        checksum,
        logs,
        rolled_back_at,
        applied_steps_count,
        finished: finished_at !== null,
      }));
    expect(shape(await migrationRecords(ours))).toEqual(shape(await migrationRecords(theirs)));
  });

  it("the engine computes the same checksums: it flags a file edited after our applier applied it", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy({ [later]: laterSql });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await writeMigration(dir, later, `${laterSql}-- edited\n`);
    const migrationsList = await engineInputs(dir);
    const diagnosis = await withEngine(url, ({ engine }) =>
      engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters }),
    );
    expect(diagnosis.editedMigrationNames).toEqual([later]);
  });

  it("a failure recorded by our applier stops the engine too (P3009), and one recorded by the engine stops us", async () => {
    const broken = "29990101000000_broken";
    const dir = await migrationsCopy({ [broken]: "SELECT * FROM table_that_does_not_exist;\n" });
    const migrationsList = await engineInputs(dir);

    const ours = await emptyDatabase();
    await expect(applyMigrations({ databaseUrl: ours, migrationsDir: dir })).rejects.toThrow(/failed to apply/);
    await withEngine(ours, async ({ engine }) => {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: noFilters,
      });
      expect(diagnosis.failedMigrationNames).toEqual([broken]);
      await expect(engine.applyMigrations({ migrationsList, filters: noFilters })).rejects.toThrow(
        /P3009|failed migrations/,
      );
    });

    const theirs = await emptyDatabase();
    await withEngine(theirs, async ({ engine }) => {
      await expect(engine.applyMigrations({ migrationsList, filters: noFilters })).rejects.toThrow();
    });
    await expect(applyMigrations({ databaseUrl: theirs, migrationsDir: dir })).rejects.toThrow(/P3009[\s\S]*_broken/);
  });
});
