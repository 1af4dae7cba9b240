import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { findFreePort, startEmbeddedPostgres } from "@agentbot/local-infra";
import { createMigration, normalizeMigrationName } from "@agentbot/db/schema-engine";
import { loadPlatformEnv } from "./env.ts";
import { log, redactUrl, seconds } from "./lib/log.ts";
import { displayPath } from "./lib/paths.ts";

/**
 * `./agentbot migrate:new <name>`: compares prisma/schema.prisma with the state prisma/migrations produces and
 * writes prisma/migrations/<timestamp>_<name>/migration.sql for the difference (Prisma's schema engine, wasm build).
 * The engine needs a PostgreSQL server for scratch and shadow databases: DATABASE_URL's server when set (the role
 * needs CREATEDB), else a throwaway embedded PostgreSQL. It touches nothing else on the server.
 */

const usage = `Usage: ./agentbot migrate:new <name>
  Writes prisma/migrations/<timestamp>_<name>/migration.sql from the changes to prisma/schema.prisma,
  or says "no changes" when the migrations already match the schema.
Environment: DATABASE_URL (a server where scratch databases may be created; default: a throwaway embedded PostgreSQL).`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const name = normalizeMigrationName(positionals[0]);
  const env = loadPlatformEnv();
  const started = performance.now();

  let adminUrl = env.DATABASE_URL;
  let cleanup = async () => {};
  if (adminUrl === undefined) {
    const root = await mkdtemp(path.join(tmpdir(), "agentbot-migrate-new-"));
    await chmod(root, 0o755); // as root, PostgreSQL runs as 'postgres', which must be able to enter it
    const server = await startEmbeddedPostgres({
      dataDir: path.join(root, "data"),
      port: await findFreePort(),
      databases: [],
      ephemeral: true,
      onProgress: (message) => log.info(message),
    });
    adminUrl = server.url;
    cleanup = async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    };
  } else {
    log.info(`using the PostgreSQL server of DATABASE_URL (${redactUrl(adminUrl)}) for scratch databases`);
  }

  try {
    const result = await createMigration({ name, adminDatabaseUrl: adminUrl, log: (message) => log.info(message) });
    if (result.status === "no-changes") {
      log.ok(
        `no changes: prisma/migrations already matches prisma/schema.prisma (${seconds(performance.now() - started)})`,
      );
      return 0;
    }
    for (const warning of result.warnings) log.warn(`warning: ${warning}`);
    log.ok(
      `created ${displayPath(path.join(result.directory, "migration.sql"))} (${seconds(performance.now() - started)})`,
    );
    log.info("review it, commit it with the schema change; the backend applies it at boot");
    return 0;
  } finally {
    await cleanup();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  log.error(`migrate:new failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
