export {
  applyMigrations,
  markMigrationRolledBack,
  MigrationError,
  MIGRATION_LOCK_ID,
  MIGRATIONS_TABLE_DDL,
} from "./apply.ts";
export type { ApplyMigrationsOptions, ApplyMigrationsResult } from "./apply.ts";
export { checksumMatches, LOCKFILE_CONTENT, migrationChecksum, readMigrationsDirectory } from "./files.ts";
export type { MigrationFile, MigrationsDirectory } from "./files.ts";
export { migrationsDir, schemaPath } from "../paths.ts";
