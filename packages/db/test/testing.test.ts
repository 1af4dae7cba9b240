import { afterEach, describe, expect, it } from "vitest";
import { newId } from "../src/index.ts";
import { createTestDatabase } from "../src/testing/index.ts";
import type { TestDatabase } from "../src/testing/index.ts";
import { query } from "./support/fixtures.ts";
import { readMigrationsDirectory } from "../src/migrations/index.ts";
import { migrationsDir } from "../src/paths.ts";

const created: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((database) => database.drop()));
});

async function make(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  created.push(database);
  return database;
}

describe("createTestDatabase", () => {
  it("gives a database with every committed migration applied", async () => {
    const { url, db } = await make();
    const { migrations } = await readMigrationsDirectory(migrationsDir);
    const recorded = await query<{ migration_name: string }>(
      url,
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    expect(await db.backendInstance.count()).toBe(0);
  });

  it("isolates databases from each other", async () => {
    const [a, b] = await Promise.all([make(), make()]);
    if (!a || !b) throw new Error("unreachable");
    expect(a.name).not.toBe(b.name);
    await a.db.backendInstance.create({ data: { id: newId("backendInstance"), hostname: "a", pid: 1, version: "1" } });
    expect(await a.db.backendInstance.count()).toBe(1);
    expect(await b.db.backendInstance.count()).toBe(0);
  });

  it("is quick once the template exists", async () => {
    await make();
    const started = performance.now();
    await Promise.all([make(), make(), make()]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("drops the database, once, however often drop is called", async () => {
    const database = await make();
    await Promise.all([database.drop(), database.drop()]);
    const admin = new URL(database.url);
    admin.pathname = "/postgres";
    expect(await query(admin.toString(), "SELECT 1 FROM pg_database WHERE datname = $1", [database.name])).toEqual([]);
  });

  it("supports await using", async () => {
    let name: string;
    {
      await using database = await createTestDatabase();
      name = database.name;
      expect(await database.db.backendInstance.count()).toBe(0);
    }
    const admin = new URL(created[0]?.url ?? (await make()).url);
    admin.pathname = "/postgres";
    expect(await query(admin.toString(), "SELECT 1 FROM pg_database WHERE datname = $1", [name])).toEqual([]);
  });
});
