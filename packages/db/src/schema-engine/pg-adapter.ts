// A migration-aware driver adapter factory for the wasm schema engine on a real PostgreSQL server.
//
// It is @prisma/adapter-pg (the same adapter the app's client uses) with three fixes the engine needs, as of 7.10:
// 1. Catalog queries return PostgreSQL's internal `"char"` type (OID 18, e.g. `pg_constraint.contype`), which
//    adapter-pg rejects as an unsupported column type; the engine reads it as a Character column.
// 2. `connectToShadowDb()` ignores the shadow database's name when the adapter was configured with a connection
//    string (it would diff against the main database) and drops the database while its pool is still open. Here the
//    shadow database gets its own URL, and is dropped (WITH (FORCE)) after its pool has ended.
// 3. `executeScript()` splits scripts on every `;`, which breaks migrations with semicolons inside strings or
//    function bodies. Here a script is sent whole with the simple-query protocol, as `prisma migrate` does.
// The fixes reach into adapter-pg's private `performIO`; `assertPatchable` fails loudly if an upgrade renames it.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, DriverAdapterError } from "@prisma/driver-adapter-utils";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { DatabaseError } from "pg";
import { quoteIdent, runAdminStatement, withDatabaseName } from "../admin.ts";

const CHAR_OID = 18;
const TEXT_OID = 25;
const charColumns = Symbol("agentbot.charColumns");

interface PgResultLike {
  fields: { dataTypeID: number }[];
  rows: unknown[][] & { [charColumns]?: number[] };
}

interface Patchable {
  queryRaw(query: SqlQuery): Promise<SqlResultSet>;
  performIO?: (query: SqlQuery) => Promise<PgResultLike>;
}

function assertPatchable(target: object): asserts target is Patchable & { performIO: Patchable["performIO"] & {} } {
  if (typeof (target as Patchable).performIO !== "function") {
    throw new Error(
      "@prisma/adapter-pg no longer has the private performIO method packages/db patches for the schema engine; " +
        "re-check src/schema-engine/pg-adapter.ts against the new adapter version.",
    );
  }
}

/** Makes one adapter-pg queryable (adapter or transaction) report `"char"` columns as Character. */
function patchCharColumns<T extends object>(target: T): T {
  assertPatchable(target);
  const performIO = target.performIO.bind(target);
  const queryRaw = target.queryRaw.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    const indexes: number[] = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === CHAR_OID) {
        indexes.push(index);
        field.dataTypeID = TEXT_OID; // adapter-pg maps this one; the real type is restored below
      }
    });
    if (indexes.length > 0) result.rows[charColumns] = indexes;
    return result;
  };
  target.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const rows = result.rows as PgResultLike["rows"];
    for (const index of rows[charColumns] ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return target;
}

function toDriverAdapterError(error: unknown): unknown {
  if (error instanceof DatabaseError) {
    return new DriverAdapterError({
      kind: "postgres",
      code: error.code ?? "N/A",
      severity: error.severity ?? "N/A",
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
    });
  }
  return error;
}

/** adapter-pg's adapter, typed structurally (it depends on a different @types/pg than this package). */
type PgAdapter = SqlDriverAdapter & { underlyingDriver(): { query(sql: string): Promise<unknown> } };

function patchAdapter(adapter: PgAdapter): SqlDriverAdapter {
  patchCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel?: IsolationLevel): Promise<Transaction> =>
    patchCharColumns(await startTransaction(isolationLevel));
  adapter.executeScript = async (script: string) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  };
  return adapter;
}

export interface PgSchemaEngineAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Ends every pool this factory opened and drops shadow databases still open. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A driver adapter factory for `SchemaEngine.new`: `connect()` reaches `databaseUrl`, `connectToShadowDb()` creates a
 * throwaway `prisma_migrate_shadow_db_<uuid>` database on the same server and drops it when the engine disposes it.
 */
export function createPgSchemaEngineAdapterFactory(databaseUrl: string): PgSchemaEngineAdapterFactory {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (!open.delete(adapter)) return;
      await dispose();
    };
    return adapter;
  };
  const connectTo = async (url: string) =>
    patchAdapter(await new PrismaPg({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 }).connect());

  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => track(await connectTo(databaseUrl)),
    connectToShadowDb: async () => {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await runAdminStatement(databaseUrl, `CREATE DATABASE ${quoteIdent(name)}`);
      const adapter = track(await connectTo(withDatabaseName(databaseUrl, name)));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await runAdminStatement(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      };
      return adapter;
    },
    close: async () => {
      await Promise.all([...open].map((adapter) => adapter.dispose()));
    },
  };
}
