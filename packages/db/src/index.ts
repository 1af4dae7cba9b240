// @agentbot/db: the only package that talks to PostgreSQL through Prisma. Nobody else imports @prisma/client; the
// types callers need are re-exported here.
export { closeDb, createDb, pingDb, withTx } from "./client.ts";
export type { CreateDbOptions, Db, DbOrTx, PingResult, Tx, TxOptions } from "./client.ts";
export {
  DbError,
  DbUnavailableError,
  fieldsFromConstraintName,
  ForeignKeyViolationError,
  isDbUnavailable,
  mapDbError,
  NotFoundError,
  TransactionConflictError,
  UniqueViolationError,
} from "./errors.ts";
export { idPrefixes, idTimestamp, isId, newId } from "./ids.ts";
export type { Id, IdKind, IdPrefix } from "./ids.ts";
export { applyMigrations, markMigrationRolledBack, MigrationError } from "./migrations/index.ts";
export type { ApplyMigrationsOptions, ApplyMigrationsResult } from "./migrations/index.ts";
export { migrationsDir, schemaPath } from "./paths.ts";
// Prisma's namespace (Prisma.sql, Prisma.TransactionIsolationLevel, input types…) and the model types.
export { Prisma } from "./generated/prisma/client.ts";
export type { BackendInstance } from "./generated/prisma/client.ts";
