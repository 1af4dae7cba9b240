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
// Migration tooling and repository paths are in `@agentbot/db/migrations`, not here: the web app bundles this entry,
// and bundlers cannot follow `new URL(<directory>, import.meta.url)`.
export { idPrefixes, idTimestamp, isId, newId } from "./ids.ts";
export type { Id, IdKind, IdPrefix } from "./ids.ts";
// Prisma's namespace (Prisma.sql, Prisma.TransactionIsolationLevel, input types…) and the model types.
export { Prisma } from "./generated/prisma/client.ts";
export type { BackendInstance } from "./generated/prisma/client.ts";
