// Drift check: does applying prisma/migrations produce exactly what prisma/schema.prisma describes?
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createDatabase, dropDatabase } from "../admin.ts";
import { applyMigrations } from "../migrations/apply.ts";
import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from "../paths.ts";
import { noFilters, openSchemaEngine, schemaContainer } from "./engine.ts";
import type { SchemaFile } from "./engine.ts";

export interface SchemaDriftOptions {
  /** A server where a scratch database may be created and dropped. */
  readonly adminDatabaseUrl: string;
  readonly schemaPath?: string;
  readonly migrationsDir?: string;
}

export interface SchemaDriftResult {
  /** True when the migrated database differs from the schema. */
  readonly drift: boolean;
  /** SQL that would take the migrated database to the schema (empty when there is no drift). */
  readonly script: string;
}

/**
 * Migrates a fresh scratch database from the migration files (with the same applier the backend uses at boot),
 * then asks the schema engine for the difference between that database and schema.prisma.
 */
export async function checkSchemaDrift(options: SchemaDriftOptions): Promise<SchemaDriftResult> {
  const schemaPath = options.schemaPath ?? defaultSchemaPath;
  const schema: SchemaFile = { path: schemaPath, content: await readFile(schemaPath, "utf8") };
  return withScratchDatabase(options.adminDatabaseUrl, "agentbot_drift", async (databaseUrl) => {
    await applyMigrations({ databaseUrl, migrationsDir: options.migrationsDir ?? defaultMigrationsDir });
    return diffDatabaseAgainstSchema(databaseUrl, schema);
  });
}

/** The engine's diff from the live database at `databaseUrl` to `schema`. */
export async function diffDatabaseAgainstSchema(databaseUrl: string, schema: SchemaFile): Promise<SchemaDriftResult> {
  const session = await openSchemaEngine({ databaseUrl, schema });
  try {
    const result = await session.engine.diff({
      from: { tag: "schemaDatasource", ...schemaContainer(schema), configDir: "." },
      to: { tag: "schemaDatamodel", ...schemaContainer(schema) },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    const drift = result.exitCode !== 0;
    return { drift, script: drift ? (result.stdout ?? "") : "" };
  } finally {
    await session.close();
  }
}

/** Runs `fn` with a new empty database on the server, dropped afterwards whatever happens. */
export async function withScratchDatabase<T>(
  adminUrl: string,
  prefix: string,
  fn: (databaseUrl: string) => Promise<T>,
): Promise<T> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = await createDatabase(adminUrl, name);
  try {
    return await fn(url);
  } finally {
    await dropDatabase(adminUrl, name);
  }
}
