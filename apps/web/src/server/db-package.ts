/**
 * What the web bundle gets for `@agentbot/db` (next.config.ts aliases the package here): the package's client,
 * transactions, error mapping, ids and Prisma namespace, without the migration tooling its root module also exports.
 * That tooling finds `prisma/migrations` with `new URL("…/migrations", import.meta.url)`, which Turbopack tries to
 * bundle as an asset and cannot (it is a directory). The web app never migrates (the backend does at boot).
 *
 * Keep this list in step with packages/db/src/index.ts: `next build` fails when a package imports a name missing here.
 */
export { closeDb, createDb, pingDb, withTx } from "../../../../packages/db/src/client.ts";
export type { CreateDbOptions, Db, DbOrTx, PingResult, Tx, TxOptions } from "../../../../packages/db/src/client.ts";
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
} from "../../../../packages/db/src/errors.ts";
export { idPrefixes, idTimestamp, isId, newId } from "../../../../packages/db/src/ids.ts";
export type { Id, IdKind, IdPrefix } from "../../../../packages/db/src/ids.ts";
export { Prisma } from "../../../../packages/db/src/generated/prisma/client.ts";
export type { BackendInstance } from "../../../../packages/db/src/generated/prisma/client.ts";
