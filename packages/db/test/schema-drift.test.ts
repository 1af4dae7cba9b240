// prisma/schema.prisma and prisma/migrations must describe the same database: a fresh database migrated from the
// files (by the applier the backend uses) must show no difference from the schema in Prisma's schema engine.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { schemaPath } from "../src/paths.ts";
import { checkSchemaDrift } from "../src/schema-engine/index.ts";
import { testDatabaseAdminUrl } from "../src/testing/index.ts";

const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("schema drift", () => {
  it("prisma/migrations produce exactly prisma/schema.prisma", async () => {
    const result = await checkSchemaDrift({ adminDatabaseUrl: testDatabaseAdminUrl() });
    expect(
      result.script,
      "schema.prisma and prisma/migrations disagree. Run `./agentbot migrate:new <name>` to create the missing " +
        "migration (never edit an applied one). The SQL that would reconcile them",
    ).toBe("");
    expect(result.drift).toBe(false);
  });

  it("reports drift when the schema has a field no migration creates", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "agentbot-drift-"));
    temp.push(dir);
    const schema = await readFile(schemaPath, "utf8");
    const edited = schema.replace(/(model BackendInstance \{\n)/, '$1  region String @default("eu") @map("region")\n');
    expect(edited).not.toBe(schema);
    const editedPath = path.join(dir, "schema.prisma");
    await writeFile(editedPath, edited);

    const result = await checkSchemaDrift({ adminDatabaseUrl: testDatabaseAdminUrl(), schemaPath: editedPath });
    expect(result.drift).toBe(true);
    expect(result.script).toMatch(/ALTER TABLE "backend_instances" ADD COLUMN\s+"region" TEXT NOT NULL DEFAULT 'eu'/);
  });
});
