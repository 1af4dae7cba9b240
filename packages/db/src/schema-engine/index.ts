// Development-time tools on Prisma's wasm schema engine (a devDependency): creating migrations and checking drift.
// The backend never imports this; at run time migrations are applied by `@agentbot/db/migrations`.
export { createMigration, migrationWarnings, normalizeMigrationName } from "./create.ts";
export type { CreateMigrationOptions, CreateMigrationResult } from "./create.ts";
export { checkSchemaDrift, diffDatabaseAgainstSchema, withScratchDatabase } from "./drift.ts";
export type { SchemaDriftOptions, SchemaDriftResult } from "./drift.ts";
export { noFilters, openSchemaEngine, schemaContainer, toMigrationList } from "./engine.ts";
export type { EngineLogEntry, SchemaEngineSession, SchemaFile } from "./engine.ts";
export { loadSchemaEngineWasm, schemaEngineVersion } from "./load.ts";
export { createPgSchemaEngineAdapterFactory } from "./pg-adapter.ts";
export type { PgSchemaEngineAdapterFactory } from "./pg-adapter.ts";
