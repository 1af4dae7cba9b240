import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LOCKFILE_CONTENT } from "../src/migrations/index.ts";
import { schemaPath } from "../src/paths.ts";
import { createMigration, migrationWarnings, normalizeMigrationName } from "../src/schema-engine/index.ts";
import { testDatabaseAdminUrl } from "../src/testing/index.ts";

let workDir: string | undefined;
afterEach(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
  workDir = undefined;
});

/** A schema file and an empty migrations directory in a temp directory. */
async function workspace() {
  workDir = await mkdtemp(path.join(tmpdir(), "agentbot-migrate-new-"));
  const schema = path.join(workDir, "schema.prisma");
  await writeFile(schema, await readFile(schemaPath, "utf8"));
  return { schema, migrations: path.join(workDir, "migrations") };
}

const create = (name: string, files: { schema: string; migrations: string }, log?: (line: string) => void) =>
  createMigration({
    name,
    adminDatabaseUrl: testDatabaseAdminUrl(),
    schemaPath: files.schema,
    migrationsDir: files.migrations,
    ...(log ? { log } : {}),
  });

describe("createMigration", () => {
  it("creates the first migration and the lock file, then reports no changes", async () => {
    const files = await workspace();
    const lines: string[] = [];
    const first = await create("Init", files, (line) => lines.push(line));
    if (first.status !== "created") throw new Error("expected a migration");
    expect(first.name).toMatch(/^\d{14}_init$/);
    expect(first.sql).toMatch(/CREATE TABLE "backend_instances"/);
    expect(await readFile(path.join(files.migrations, first.name, "migration.sql"), "utf8")).toBe(first.sql);
    expect(await readFile(path.join(files.migrations, "migration_lock.toml"), "utf8")).toBe(LOCKFILE_CONTENT);
    expect(lines.join("\n")).toMatch(/leaves no drift/);

    expect(await create("again", files)).toEqual({ status: "no-changes" });
    expect(await readdir(files.migrations)).toHaveLength(2);
  });

  it("writes only the difference for a schema change, with the engine's data-loss warnings", async () => {
    const files = await workspace();
    await create("init", files);
    const schema = await readFile(files.schema, "utf8");
    await writeFile(
      files.schema,
      schema.replace("  @@index([lastSeenAt])", "  @@index([lastSeenAt])\n  @@unique([hostname, pid])"),
    );

    const second = await create("unique host pid", files);
    if (second.status !== "created") throw new Error("expected a migration");
    expect(second.name).toMatch(/_unique_host_pid$/);
    expect(second.sql).toMatch(/CREATE UNIQUE INDEX "backend_instances_hostname_pid_key"/);
    expect(second.sql).not.toMatch(/CREATE TABLE/);
    expect(second.warnings).toEqual([
      "A unique constraint covering the columns `[hostname,pid]` on the table `backend_instances` will be added. If there are existing duplicate values, this will fail.",
    ]);
  });

  it("normalises names and rejects unusable ones", () => {
    expect(normalizeMigrationName(" Add agents table! ")).toBe("add_agents_table");
    expect(() => normalizeMigrationName("!!!")).toThrow(/not a usable migration name/);
  });

  it("reads no warnings from a script without them", () => {
    expect(migrationWarnings("-- CreateTable\nCREATE TABLE x ();\n")).toEqual([]);
  });
});
