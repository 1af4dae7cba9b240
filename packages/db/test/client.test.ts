import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeDb,
  createDb,
  DbUnavailableError,
  fieldsFromConstraintName,
  mapDbError,
  newId,
  NotFoundError,
  Prisma,
  TransactionConflictError,
  UniqueViolationError,
  withTx,
} from "../src/index.ts";
import type { Db, DbOrTx } from "../src/index.ts";
import { createTestDatabase } from "../src/testing/index.ts";
import type { TestDatabase } from "../src/testing/index.ts";
import { closedPort } from "./support/tcp-proxy.ts";

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});
afterAll(async () => {
  await testDb.drop();
});

const instance = (overrides: Partial<{ id: string; hostname: string; pid: number }> = {}) => ({
  id: newId("backendInstance"),
  hostname: "host-a",
  pid: 1234,
  version: "1.0.0",
  ...overrides,
});

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("createDb", () => {
  it("round-trips a BackendInstance with its timestamps", async () => {
    const created = await db.backendInstance.create({ data: instance() });
    expect(created.startedAt).toBeInstanceOf(Date);
    expect(Math.abs(created.startedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const seen = new Date("2030-01-02T03:04:05.678Z");
    const updated = await db.backendInstance.update({ where: { id: created.id }, data: { lastSeenAt: seen } });
    expect(updated.lastSeenAt.toISOString()).toBe(seen.toISOString());
  });
});

describe("mapDbError", () => {
  it("turns a real unique violation into UniqueViolationError naming the model and fields", async () => {
    const row = await db.backendInstance.create({ data: instance() });
    const error = mapDbError(await catchError(db.backendInstance.create({ data: instance({ id: row.id }) })));
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ model: "BackendInstance", constraint: "backend_instances_pkey", fields: ["id"] });
  });

  it("maps a unique violation raised through pg directly, with camelCase fields from the detail", async () => {
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    try {
      await client.query("CREATE TEMP TABLE t (owner_id text, slug text, UNIQUE (owner_id, slug))");
      await client.query("INSERT INTO t VALUES ('a', 'b')");
      const error = mapDbError(await catchError(client.query("INSERT INTO t VALUES ('a', 'b')")));
      expect(error).toBeInstanceOf(UniqueViolationError);
      expect(error).toMatchObject({ constraint: "t_owner_id_slug_key", fields: ["ownerId", "slug"] });
    } finally {
      await client.end();
    }
  });

  it("turns a missing record into NotFoundError", async () => {
    const missing = db.backendInstance.update({ where: { id: newId("backendInstance") }, data: { pid: 1 } });
    const error = mapDbError(await catchError(missing));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ model: "BackendInstance" });
    const orThrow = db.backendInstance.findUniqueOrThrow({ where: { id: newId("backendInstance") } });
    expect(mapDbError(await catchError(orThrow))).toBeInstanceOf(NotFoundError);
  });

  it("turns connection refused into DbUnavailableError, for model and raw queries", async () => {
    const down = createDb(`postgresql://postgres@127.0.0.1:${await closedPort()}/x`, { connectionTimeoutMs: 1_000 });
    try {
      expect(mapDbError(await catchError(down.backendInstance.findMany()))).toBeInstanceOf(DbUnavailableError);
      expect(mapDbError(await catchError(down.$queryRaw`SELECT 1`))).toBeInstanceOf(DbUnavailableError);
    } finally {
      await closeDb(down);
    }
  });

  it("leaves errors it does not know unchanged", () => {
    const error = new Error("boom");
    expect(mapDbError(error)).toBe(error);
    expect(mapDbError("text")).toBe("text");
  });

  it("decodes Prisma's default constraint names into fields", () => {
    const fields = ["id", "ownerId", "slug", "lastSeenAt"];
    expect(fieldsFromConstraintName("agents_pkey", "agents", fields)).toEqual(["id"]);
    expect(fieldsFromConstraintName("agents_owner_id_slug_key", "agents", fields)).toEqual(["ownerId", "slug"]);
    expect(fieldsFromConstraintName("agents_last_seen_at_key", "agents", fields)).toEqual(["lastSeenAt"]);
    expect(fieldsFromConstraintName("custom_name", "agents", fields)).toEqual([]);
    expect(fieldsFromConstraintName("agents_unknown_key", "agents", fields)).toEqual([]);
  });
});

describe("withTx", () => {
  it("commits, and rolls back everything when fn throws", async () => {
    const kept = instance();
    await withTx(db, (tx) => tx.backendInstance.create({ data: kept }));
    const lost = instance();
    const error = await catchError(
      withTx(db, async (tx) => {
        await tx.backendInstance.create({ data: lost });
        throw new Error("abort");
      }),
    );
    expect((error as Error).message).toBe("abort");
    expect(await db.backendInstance.findUnique({ where: { id: kept.id } })).not.toBeNull();
    expect(await db.backendInstance.findUnique({ where: { id: lost.id } })).toBeNull();
  });

  it("joins the outer transaction when given a Tx", async () => {
    const inner = instance();
    const create = (client: DbOrTx) => withTx(client, (tx) => tx.backendInstance.create({ data: inner }));
    await catchError(
      withTx(db, async (tx) => {
        await create(tx);
        throw new Error("abort outer");
      }),
    );
    expect(await db.backendInstance.findUnique({ where: { id: inner.id } })).toBeNull();
  });

  it("throws mapped errors", async () => {
    const row = await db.backendInstance.create({ data: instance() });
    const error = await catchError(withTx(db, (tx) => tx.backendInstance.create({ data: instance({ id: row.id }) })));
    expect(error).toBeInstanceOf(UniqueViolationError);
  });

  it("re-runs a serializable transaction that lost a conflict", async () => {
    const row = await db.backendInstance.create({ data: instance({ pid: 0 }) });
    let attempts = 0;
    // Two transactions read the same row and both write it: one must fail with 40001 and be retried.
    const bump = () =>
      withTx(
        db,
        async (tx) => {
          attempts++;
          const current = await tx.backendInstance.findUniqueOrThrow({ where: { id: row.id } });
          await new Promise((resolve) => setTimeout(resolve, 100));
          await tx.backendInstance.update({ where: { id: row.id }, data: { pid: current.pid + 1 } });
        },
        { isolationLevel: Prisma.TransactionIsolationLevel.Serializable, maxRetries: 5 },
      );
    await Promise.all([bump(), bump()]);
    expect((await db.backendInstance.findUniqueOrThrow({ where: { id: row.id } })).pid).toBe(2);
    expect(attempts).toBeGreaterThan(2);
  });

  it("gives up after maxRetries with TransactionConflictError", async () => {
    const row = await db.backendInstance.create({ data: instance({ pid: 0 }) });
    const bump = () =>
      withTx(
        db,
        async (tx) => {
          const current = await tx.backendInstance.findUniqueOrThrow({ where: { id: row.id } });
          await new Promise((resolve) => setTimeout(resolve, 100));
          await tx.backendInstance.update({ where: { id: row.id }, data: { pid: current.pid + 1 } });
        },
        { isolationLevel: Prisma.TransactionIsolationLevel.Serializable, maxRetries: 0 },
      );
    const results = await Promise.allSettled([bump(), bump()]);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(TransactionConflictError);
  });
});
