// Domain errors for database failures, so callers never inspect Prisma error codes or PostgreSQL SQLSTATEs.
// `mapDbError(e)` turns what Prisma, the pg driver or the driver adapter throws into one of these; anything it does not
// recognise is returned unchanged. Typical use: `catch (e) { throw mapDbError(e); }`.
import { Prisma } from "./generated/prisma/client.ts";

export class DbError extends Error {
  override name = "DbError";
}

/** A unique constraint rejected a write (SQLSTATE 23505, Prisma P2002). */
export class UniqueViolationError extends DbError {
  override name = "UniqueViolationError";
  /** Prisma model, when known (e.g. "BackendInstance"). */
  readonly model: string | undefined;
  /** The constraint or unique index name, when known (e.g. "backend_instances_pkey"). */
  readonly constraint: string | undefined;
  /** Prisma field names covered by the constraint (e.g. ["id"]); empty when they cannot be told. */
  readonly fields: readonly string[];
  constructor(args: { model?: string; constraint?: string; fields: readonly string[]; cause?: unknown }) {
    const where = args.fields.length > 0 ? `(${args.fields.join(", ")})` : (args.constraint ?? "a unique constraint");
    super(`${args.model ?? "A record"} with the same ${where} already exists`, { cause: args.cause });
    this.model = args.model;
    this.constraint = args.constraint;
    this.fields = args.fields;
  }
}

/** A foreign key rejected a write: the referenced row does not exist, or rows still reference it (23503, P2003). */
export class ForeignKeyViolationError extends DbError {
  override name = "ForeignKeyViolationError";
  readonly model: string | undefined;
  readonly constraint: string | undefined;
  constructor(args: { model?: string; constraint?: string; cause?: unknown }) {
    super(`${args.model ?? "A record"} violates ${args.constraint ?? "a foreign key constraint"}`, {
      cause: args.cause,
    });
    this.model = args.model;
    this.constraint = args.constraint;
  }
}

/** The record an update, delete or `…OrThrow` query needed does not exist (P2025, P2001). */
export class NotFoundError extends DbError {
  override name = "NotFoundError";
  readonly model: string | undefined;
  constructor(args: { model?: string; message?: string; cause?: unknown }) {
    super(args.message ?? `${args.model ?? "Record"} not found`, { cause: args.cause });
    this.model = args.model;
  }
}

/**
 * PostgreSQL cannot be reached or dropped the connection: refused, reset, timed out, shutting down, too many
 * connections. The operation may not have run; retrying later can succeed.
 */
export class DbUnavailableError extends DbError {
  override name = "DbUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Database unavailable: ${message}`, options);
  }
}

/** A serializable transaction lost a conflict or hit a deadlock (40001, 40P01, P2034): safe to retry whole. */
export class TransactionConflictError extends DbError {
  override name = "TransactionConflictError";
}

// Driver adapter error kinds (see @prisma/driver-adapter-utils) meaning "no usable connection".
const unavailableKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TlsConnectionError",
  "DatabaseDoesNotExist",
  "AuthenticationFailed",
  "DatabaseAccessDenied",
]);
// Prisma codes with the same meaning: P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server
// closed the connection, P2024 timed out waiting for a pool connection, P1003 database missing, P1000/P1010 auth.
const unavailablePrismaCodes = new Set(["P1000", "P1001", "P1002", "P1003", "P1008", "P1010", "P1017", "P2024"]);
// SQLSTATEs: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections,
// 08xxx connection exceptions, 3D000 database does not exist, 28xxx auth.
const unavailableSqlStates = /^(57P0[1-3]|53300|08...|3D000|28...)$/;
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "EHOSTUNREACH",
  "EAI_AGAIN",
]);
// Messages the pg driver uses for connection loss, which carry no code.
const pgConnectionMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

interface AdapterCause {
  kind?: string;
  code?: string;
  message?: string;
  originalCode?: string;
  originalMessage?: string;
  constraint?: { fields?: string[]; index?: string; foreignKey?: unknown };
  host?: string;
  port?: number;
  db?: string;
  user?: string;
}

function describeUnavailable(cause: AdapterCause): string {
  const text = cause.originalMessage ?? cause.message;
  if (text) return text;
  switch (cause.kind) {
    case "DatabaseNotReachable":
      return `cannot reach the server at ${cause.host ?? "?"}:${cause.port ?? "?"}`;
    case "ConnectionClosed":
      return "the server closed the connection";
    case "SocketTimeout":
      return "the connection timed out";
    case "DatabaseDoesNotExist":
      return `database ${cause.db ?? "?"} does not exist`;
    case "AuthenticationFailed":
      return `authentication failed for user ${cause.user ?? "?"}`;
    default:
      return cause.kind ?? "unknown reason";
  }
}

function adapterCause(meta: unknown): AdapterCause | undefined {
  if (typeof meta !== "object" || meta === null) return undefined;
  const dae = (meta as { driverAdapterError?: { cause?: unknown } }).driverAdapterError;
  return typeof dae?.cause === "object" && dae.cause !== null ? dae.cause : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : undefined;
}

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Scalar field names per model, from the generated client (`Prisma.<Model>ScalarFieldEnum`). */
function modelFields(model: string | undefined): string[] {
  if (model === undefined) return [];
  const fieldEnum = (Prisma as unknown as Record<string, unknown>)[`${model}ScalarFieldEnum`];
  return typeof fieldEnum === "object" && fieldEnum !== null ? Object.values(fieldEnum as Record<string, string>) : [];
}

/**
 * The fields behind a unique constraint name that follows Prisma's defaults: `<table>_pkey` (our ids are always
 * `id`) and `<table>_<col>_<col>_key`, where columns are the snake_case of the model's fields (schema convention).
 * Returns [] for custom constraint names.
 */
export function fieldsFromConstraintName(constraint: string, table: string | undefined, fields: readonly string[]) {
  const rest = table !== undefined && constraint.startsWith(`${table}_`) ? constraint.slice(table.length + 1) : null;
  if (rest === null) return [];
  if (rest === "pkey") return fields.includes("id") ? ["id"] : [];
  if (!rest.endsWith("_key")) return [];
  const columns = new Map(fields.map((field) => [snake(field), field]));
  // Split "owner_id_slug" into known columns, longest match first.
  const split = (text: string): string[] | null => {
    if (text === "") return [];
    const candidates = [...columns.keys()].filter((c) => text === c || text.startsWith(`${c}_`));
    for (const column of candidates.sort((a, b) => b.length - a.length)) {
      const tail = split(text.slice(column.length + 1));
      if (tail !== null) return [columns.get(column) ?? column, ...tail];
    }
    return null;
  };
  return split(rest.slice(0, -"_key".length)) ?? [];
}

function uniqueViolation(
  model: string | undefined,
  cause: AdapterCause | undefined,
  table: string | undefined,
  error: unknown,
) {
  const constraint = cause?.constraint;
  const fields = modelFields(model);
  if (constraint?.fields) {
    return new UniqueViolationError({ model, fields: constraint.fields.map(camel), cause: error });
  }
  const index = constraint?.index;
  return new UniqueViolationError({
    model,
    constraint: index,
    fields: index === undefined ? [] : fieldsFromConstraintName(index, table, fields),
    cause: error,
  });
}

function fromAdapterCause(cause: AdapterCause, model: string | undefined, table: string | undefined, error: unknown) {
  switch (cause.kind) {
    case "UniqueConstraintViolation":
      return uniqueViolation(model, cause, table, error);
    case "ForeignKeyConstraintViolation":
    case "RestrictViolation":
      return new ForeignKeyViolationError({ model, constraint: cause.constraint?.index, cause: error });
    case "TransactionWriteConflict":
      return new TransactionConflictError("Transaction conflict (serialization failure or deadlock)", { cause: error });
    case "postgres": {
      const code = cause.code ?? "";
      if (unavailableSqlStates.test(code)) return new DbUnavailableError(cause.message ?? code, { cause: error });
      return undefined;
    }
    default:
      if (cause.kind !== undefined && unavailableKinds.has(cause.kind)) {
        return new DbUnavailableError(describeUnavailable(cause), { cause: error });
      }
      return undefined;
  }
}

function mapKnownRequestError(error: Prisma.PrismaClientKnownRequestError): Error {
  const meta = error.meta;
  const model = stringField(meta, "modelName");
  const cause = adapterCause(meta);
  const table = stringField(cause, "table");
  switch (error.code) {
    case "P2002":
      return uniqueViolation(model, cause, table, error);
    case "P2003":
      return new ForeignKeyViolationError({ model, constraint: cause?.constraint?.index, cause: error });
    case "P2001":
    case "P2025":
      return new NotFoundError({ model, cause: error });
    case "P2034":
      return new TransactionConflictError("Transaction conflict (serialization failure or deadlock)", { cause: error });
  }
  if (cause) {
    const mapped = fromAdapterCause(cause, model, table, error);
    if (mapped) return mapped;
  }
  if (unavailablePrismaCodes.has(error.code)) return new DbUnavailableError(firstLine(error.message), { cause: error });
  // P2028 "Unable to start a transaction in the given time": every pooled connection stayed busy for `maxWait`.
  if (error.code === "P2028" && /unable to start a transaction/i.test(error.message)) {
    return new DbUnavailableError(firstLine(error.message), { cause: error });
  }
  return error;
}

function firstLine(message: string): string {
  return (
    message
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("Invalid `"))
      .at(-1) ?? message
  );
}

/**
 * The domain error for a database failure, or `error` itself when it is not one we recognise. Recognises Prisma
 * client errors, driver adapter errors, and raw `pg` errors (for code that uses `pg` directly, like the migrator).
 */
export function mapDbError(error: unknown): unknown {
  if (error instanceof DbError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError) return mapKnownRequestError(error);
  if (error instanceof Prisma.PrismaClientInitializationError) {
    return new DbUnavailableError(firstLine(error.message), { cause: error });
  }
  if (typeof error !== "object" || error === null) return error;

  if (stringField(error, "name") === "DriverAdapterError") {
    const cause = (error as { cause?: AdapterCause }).cause;
    return (cause && fromAdapterCause(cause, undefined, stringField(cause, "table"), error)) ?? error;
  }

  const code = stringField(error, "code");
  const message = stringField(error, "message") ?? "";
  if (code !== undefined && socketCodes.has(code)) return new DbUnavailableError(message || code, { cause: error });
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    // A PostgreSQL error from the pg driver.
    const constraint = stringField(error, "constraint");
    if (code === "23505") {
      const columns = /Key \(([^)]+)\)=/.exec(stringField(error, "detail") ?? "")?.[1]?.split(", ");
      return new UniqueViolationError({ constraint, fields: (columns ?? []).map(camel), cause: error });
    }
    if (code === "23503") return new ForeignKeyViolationError({ constraint, cause: error });
    if (code === "40001" || code === "40P01") {
      return new TransactionConflictError(message || "Transaction conflict", { cause: error });
    }
    if (unavailableSqlStates.test(code)) return new DbUnavailableError(message || code, { cause: error });
    return error;
  }
  if (error instanceof Error && pgConnectionMessages.test(message)) {
    return new DbUnavailableError(message, { cause: error });
  }
  return error;
}

/** Whether `error` (raw or mapped) means the database could not be reached. */
export function isDbUnavailable(error: unknown): boolean {
  return mapDbError(error) instanceof DbUnavailableError;
}
