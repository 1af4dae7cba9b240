// One wasm schema engine bound to one database, with the inputs it wants built from our files.
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { LOCKFILE_NAME, MIGRATION_FILE } from "../migrations/files.ts";
import type { MigrationsDirectory } from "../migrations/files.ts";
import { loadSchemaEngineWasm } from "./load.ts";
import type { MigrationList, SchemaFilter, WasmSchemaEngine } from "./load.ts";
import { createPgSchemaEngineAdapterFactory } from "./pg-adapter.ts";

export interface SchemaFile {
  readonly path: string;
  readonly content: string;
}

/** No tables or enums are managed outside the schema. */
export const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface EngineLogEntry {
  readonly level: string;
  readonly message: string;
}

export interface SchemaEngineSession {
  readonly engine: WasmSchemaEngine;
  /** Frees the engine and ends its connections (dropping any shadow database). */
  close(): Promise<void>;
}

/** Opens the engine on `databaseUrl`; shadow databases are created on the same server when the engine needs one. */
export async function openSchemaEngine(options: {
  databaseUrl: string;
  schema: SchemaFile;
  onLog?: (entry: EngineLogEntry) => void;
}): Promise<SchemaEngineSession> {
  const wasm = await loadSchemaEngineWasm();
  const factory = createPgSchemaEngineAdapterFactory(options.databaseUrl);
  const onLog = options.onLog;
  const callback = (line: string) => {
    if (!onLog) return;
    try {
      const parsed = JSON.parse(line) as { level?: string; fields?: { message?: string } };
      onLog({ level: parsed.level ?? "INFO", message: parsed.fields?.message ?? line });
    } catch {
      onLog({ level: "INFO", message: line });
    }
  };
  let engine: WasmSchemaEngine;
  try {
    engine = await wasm.SchemaEngine.new(
      { datamodels: [[options.schema.path, options.schema.content]] },
      callback,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (error) {
    await factory.close();
    throw error;
  }
  return {
    engine,
    close: async () => {
      engine.free();
      await factory.close();
    },
  };
}

/**
 * The engine's view of a migrations directory, built as the Prisma CLI builds it: paths relative to `baseDir` (the
 * engine takes a migration's name from its directory path).
 */
export function toMigrationList(directory: MigrationsDirectory): MigrationList {
  return {
    baseDir: directory.dir,
    lockfile: { path: LOCKFILE_NAME, content: directory.lockfile },
    shadowDbInitScript: "",
    migrationDirectories: directory.migrations.map((migration) => ({
      path: migration.name,
      migrationFile: { path: MIGRATION_FILE, content: { tag: "ok", value: migration.sql } },
    })),
  };
}

/** The schema in the form the engine's methods take. */
export function schemaContainer(schema: SchemaFile) {
  return { files: [{ path: schema.path, content: schema.content }] };
}
