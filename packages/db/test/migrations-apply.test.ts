import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DbUnavailableError } from "../src/index.ts";
import {
  applyMigrations,
  markMigrationRolledBack,
  MigrationError,
  readMigrationsDirectory,
} from "../src/migrations/index.ts";
import { closedPort } from "./support/tcp-proxy.ts";
import {
  cleanupFixtures,
  emptyDatabase,
  migrationRecords,
  migrationsCopy,
  query,
  writeMigration,
} from "./support/fixtures.ts";

afterEach(cleanupFixtures);

const later = "29990101000000_later";
const laterSql = `-- a function body and a string with semicolons: the script must be sent whole
CREATE TABLE "later_things" ("id" TEXT NOT NULL PRIMARY KEY, "note" TEXT NOT NULL DEFAULT 'a; b');
CREATE FUNCTION later_answer() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 42; END; $$;
`;

describe("applyMigrations", () => {
  it("applies every migration in order and records each as prisma migrate deploy does", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy({ [later]: laterSql });
    const { migrations } = await readMigrationsDirectory(dir);
    const lines: string[] = [];

    const result = await applyMigrations({ databaseUrl: url, migrationsDir: dir, log: (line) => lines.push(line) });

    expect(result.applied).toEqual(migrations.map((m) => m.name));
    expect(result.alreadyApplied).toEqual([]);
    expect(lines.some((line) => line.includes(`applied ${later}`))).toBe(true);
    const records = await migrationRecords(url);
    expect(records.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const record of records) {
      const bytes = await readFile(path.join(dir, record.migration_name, "migration.sql"));
      expect(record.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(record).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
      expect(record.finished_at?.getTime()).toBeGreaterThanOrEqual(record.started_at.getTime());
    }
    expect(await query(url, "SELECT later_answer() AS answer, (SELECT count(*) FROM backend_instances) AS n")).toEqual([
      { answer: 42, n: "0" },
    ]);
  });

  it("creates _prisma_migrations with the schema engine's exact columns", async () => {
    const url = await emptyDatabase();
    await applyMigrations({ databaseUrl: url, migrationsDir: await migrationsCopy() });
    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", len: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", len: 64, is_nullable: "NO", column_default: null },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        len: 255,
        is_nullable: "NO",
        column_default: null,
      },
      { column_name: "logs", data_type: "text", len: null, is_nullable: "YES", column_default: null },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      { column_name: "applied_steps_count", data_type: "integer", len: null, is_nullable: "NO", column_default: "0" },
    ]);
  });

  it("does nothing the second time", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy();
    const first = await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    const before = await migrationRecords(url);
    const second = await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied });
    expect(await migrationRecords(url)).toEqual(before);
  });

  it("applies only what is new", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy();
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await writeMigration(dir, later, laterSql);
    const result = await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    expect(result.applied).toEqual([later]);
  });

  it("lets concurrent appliers apply each migration exactly once", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy({
      [later]: `${laterSql}SELECT pg_sleep(0.3);\n`,
    });
    const { migrations } = await readMigrationsDirectory(dir);
    const lines: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        applyMigrations({ databaseUrl: url, migrationsDir: dir, log: (l) => lines.push(l) }),
      ),
    );
    expect(results.flatMap((r) => r.applied).sort()).toEqual(migrations.map((m) => m.name).sort());
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(lines.some((line) => line.includes("another process is applying migrations"))).toBe(true);
    expect((await migrationRecords(url)).map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
  });

  it("refuses when an applied migration's file changed, naming it", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy({ [later]: laterSql });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await writeMigration(dir, later, `${laterSql}-- edited afterwards\n`);
    const attempt = applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(new RegExp(`${later} changed after being applied`));
  });

  it("accepts a file whose line endings git rewrote (LF to CRLF), as Prisma does", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy({ [later]: laterSql });
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await writeMigration(dir, later, laterSql.replaceAll("\n", "\r\n"));
    await expect(applyMigrations({ databaseUrl: url, migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it("records a failing migration, rolls it back, refuses to go on, and retries once marked rolled back", async () => {
    const url = await emptyDatabase();
    const broken = "29990101000000_broken";
    const after = "29990102000000_after";
    const dir = await migrationsCopy({
      [broken]: 'CREATE TABLE "half_done" ("id" TEXT);\nSELECT * FROM table_that_does_not_exist;\n',
      [after]: 'CREATE TABLE "after_broken" ("id" TEXT);\n',
    });

    const first = applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await expect(first).rejects.toThrow(MigrationError);
    await expect(first).rejects.toThrow(/42P01/);
    const failed = (await migrationRecords(url)).find((r) => r.migration_name === broken);
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed?.logs).toMatch(/table_that_does_not_exist/);
    expect(await query(url, "SELECT to_regclass('half_done') AS t, to_regclass('after_broken') AS a")).toEqual([
      { t: null, a: null },
    ]);

    const second = applyMigrations({ databaseUrl: url, migrationsDir: dir });
    await expect(second).rejects.toThrow(/previous migration failed \(Prisma P3009\)[\s\S]*29990101000000_broken/);

    await writeMigration(dir, broken, 'CREATE TABLE "half_done" ("id" TEXT);\n');
    expect(await markMigrationRolledBack(url, broken)).toBe(true);
    const third = await applyMigrations({ databaseUrl: url, migrationsDir: dir });
    expect(third.applied).toEqual([broken, after]);
    const records = (await migrationRecords(url)).filter((r) => r.migration_name === broken);
    expect(records.map((r) => [r.rolled_back_at !== null, r.finished_at !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("refuses a non-empty schema that has no migration history (P3005)", async () => {
    const url = await emptyDatabase();
    await query(url, "CREATE TABLE someone_elses (id int)");
    await expect(applyMigrations({ databaseUrl: url, migrationsDir: await migrationsCopy() })).rejects.toThrow(
      /schema is not empty \(someone_elses…\)[\s\S]*P3005/,
    );
  });

  it("refuses a migration directory without migration.sql", async () => {
    const dir = await migrationsCopy();
    await writeMigration(dir, "29990101000000_ok", "SELECT 1;");
    await mkdir(path.join(dir, "29990102000000_empty"));
    await expect(applyMigrations({ databaseUrl: await emptyDatabase(), migrationsDir: dir })).rejects.toThrow(
      /29990102000000_empty has no migration.sql/,
    );
  });

  it("refuses a migrations directory that does not exist", async () => {
    const attempt = applyMigrations({ databaseUrl: await emptyDatabase(), migrationsDir: "/nonexistent/migrations" });
    await expect(attempt).rejects.toThrow(/migrations directory \/nonexistent\/migrations does not exist/);
  });

  it("reports an unreachable server as DbUnavailableError", async () => {
    const attempt = applyMigrations({
      databaseUrl: `postgresql://postgres@127.0.0.1:${await closedPort()}/x`,
      migrationsDir: await migrationsCopy(),
    });
    await expect(attempt).rejects.toBeInstanceOf(DbUnavailableError);
  });
});
