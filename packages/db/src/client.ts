// The database client: Prisma 7's query compiler over @prisma/adapter-pg (node-postgres), no engine binary.
import { setTimeout as sleep } from "node:timers/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import type { Prisma } from "./generated/prisma/client.ts";
import { DbUnavailableError, TransactionConflictError, mapDbError } from "./errors.ts";

/** The application's database client. Create one per process with `createDb` and share it. */
export type Db = PrismaClient;
/** The client inside `withTx` (no `$transaction`, `$connect`, `$disconnect`). */
export type Tx = Prisma.TransactionClient;
/** Functions that may run inside or outside a transaction take this. */
export type DbOrTx = Db | Tx;

export interface CreateDbOptions {
  /** Most connections the pool keeps open. Default 10. */
  readonly poolSize?: number;
  /** How long to wait for a new connection before failing (ms). Default 5000. */
  readonly connectionTimeoutMs?: number;
  /** Idle connections are closed after this long (ms). Default 30000. */
  readonly idleTimeoutMs?: number;
  /** Server-side `statement_timeout` for every connection (ms). Default: none. */
  readonly statementTimeoutMs?: number;
  /**
   * Client-side limit for one query (ms). The connection is discarded when it fires, so a query stuck on a dead
   * network path cannot hold a pool slot forever. Default: none.
   */
  readonly queryTimeoutMs?: number;
  /** Shown in `pg_stat_activity.application_name`. */
  readonly applicationName?: string;
  /**
   * Errors the pool recovers from on its own (an idle connection closed by a server restart). Without this they are
   * dropped: the next query opens a new connection, and fails with `DbUnavailableError` if it cannot.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** A Prisma client on a connection pool to `databaseUrl`. Nothing connects until the first query. */
export function createDb(databaseUrl: string, options: CreateDbOptions = {}): Db {
  const onError = options.onConnectionError ?? (() => {});
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      keepAlive: true,
      ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
      ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
      ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    },
    { onPoolError: onError, onConnectionError: onError },
  );
  // Interactive transactions wait up to 10 s for a pooled connection (Prisma's default of 2 s turns a burst into
  // errors) and may run 15 s; past that they fail as DbUnavailableError (503 with Retry-After at the edge).
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 15_000 } });
}

/** Closes the pool. Queries after this reconnect, so call it once, at shutdown. */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect();
}

export type PingResult =
  | { readonly ok: true; readonly latencyMs: number }
  | { readonly ok: false; readonly latencyMs: number; readonly error: Error };

/**
 * Runs `SELECT 1` with a deadline. Never throws and never takes much longer than `timeoutMs`, also when the server
 * is stopped or unreachable (the query may go on in the background until the pool's own timeouts end it).
 */
export async function pingDb(db: Db, timeoutMs = 2_000): Promise<PingResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const query = db.$queryRaw`SELECT 1`.then(
    () => "ok" as const,
    (error: unknown) => ({ error }),
  );
  try {
    const outcome = await Promise.race([query, deadline]);
    if (outcome === "ok") return { ok: true, latencyMs: elapsed() };
    if (outcome === "timeout") {
      return { ok: false, latencyMs: elapsed(), error: new DbUnavailableError(`no answer within ${timeoutMs} ms`) };
    }
    const mapped = mapDbError(outcome.error);
    return { ok: false, latencyMs: elapsed(), error: mapped instanceof Error ? mapped : new Error(String(mapped)) };
  } finally {
    clearTimeout(timer);
  }
}

export interface TxOptions {
  readonly isolationLevel?: Prisma.TransactionIsolationLevel;
  /**
   * How many times to re-run the whole transaction after a serialization failure or deadlock (40001, 40P01). Default
   * 3. `fn` must be safe to run again: no side effects outside the transaction.
   */
  readonly maxRetries?: number;
  /** The transaction is rolled back if `fn` takes longer (ms). Default 10000. */
  readonly timeoutMs?: number;
  /** How long to wait for a connection to start the transaction (ms). Default 5000. */
  readonly maxWaitMs?: number;
}

function isRootClient(db: DbOrTx): db is Db {
  return typeof (db as Partial<Db>).$transaction === "function";
}

/**
 * Runs `fn` in a transaction. Inside another `withTx` (when given a `Tx`), `fn` joins the outer transaction. Errors
 * come out mapped by `mapDbError`; conflicts are retried with jittered backoff, then surface as
 * `TransactionConflictError`.
 */
export async function withTx<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  if (!isRootClient(db)) return fn(db);
  const maxRetries = options.maxRetries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(fn, {
        timeout: options.timeoutMs ?? 10_000,
        maxWait: options.maxWaitMs ?? 5_000,
        ...(options.isolationLevel === undefined ? {} : { isolationLevel: options.isolationLevel }),
      });
    } catch (error) {
      const mapped = mapDbError(error);
      if (!(mapped instanceof TransactionConflictError) || attempt >= maxRetries) throw mapped;
      await sleep(Math.round((10 + Math.random() * 20) * 2 ** attempt));
    }
  }
}
