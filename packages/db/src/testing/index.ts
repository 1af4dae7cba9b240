// Isolated, migrated PostgreSQL databases for integration tests, in milliseconds each.
//
// The committed migrations are applied once per server and migration set to a template database
// (`agentbot_tpl_<hash of the migrations>`); each test database is a `CREATE DATABASE … TEMPLATE` copy of it. Parallel
// vitest workers (and parallel test runs) serialise the template build on an advisory lock, and the template only
// gets its final name once fully migrated, so nobody copies a half-built one.
import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { createDatabase, dropDatabase, quoteIdent, withDatabaseName } from "../admin.ts";
import { createDb } from "../client.ts";
import type { Db } from "../client.ts";
import { applyMigrations } from "../migrations/apply.ts";
import { readMigrationsDirectory } from "../migrations/files.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";
import { testDatabaseAdminUrl } from "./env.ts";

export { testDatabaseAdminUrl } from "./env.ts";

/** Advisory lock held while a template is built (an arbitrary constant, distinct from Prisma's 72707369). */
const TEMPLATE_LOCK_ID = 61_707_369;
const TEMPLATE_PREFIX = "agentbot_tpl_";
const TEST_DB_PREFIX = "agentbot_test_";
/** Test databases older than this are leftovers of killed runs and are dropped when a run starts. */
const STALE_AFTER_SECONDS = 6 * 60 * 60;

export interface TestDatabase {
  /** The database's name (`agentbot_test_<unix seconds>_<random>`). */
  readonly name: string;
  /** Connection URL of this database. */
  readonly url: string;
  /** A client on it (small pool). */
  readonly db: Db;
  /** Closes `db` and drops the database. Idempotent. */
  drop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Default: the repository's prisma/migrations. */
  readonly migrationsDir?: string;
  /** Pool size of `db`. Default 4. */
  readonly poolSize?: number;
}

const templates = new Map<string, Promise<string>>();

/**
 * A new database with every committed migration applied, on the server named by AGENTBOT_TEST_DATABASE_URL (fails
 * with a message saying how to set it when it is missing). Drop it in `afterEach`/`afterAll`, or with `await using`.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = testDatabaseAdminUrl();
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir;
  const name = `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    const template = await migratedTemplate(adminUrl, migrationsDir);
    try {
      await createDatabase(adminUrl, name, { template });
      break;
    } catch (error) {
      const code = sqlState(error);
      // 55006: something (autovacuum, a stray session) is connected to the template right now.
      if (code === "55006" && attempt < 50) {
        await sleep(20 + attempt * 10);
        continue;
      }
      // 3D000: another run replaced the template (its migrations differ); build ours again.
      if (code === "3D000" && attempt < 3) {
        templates.delete(templateKey(adminUrl, migrationsDir));
        continue;
      }
      throw error;
    }
  }
  const url = withDatabaseName(adminUrl, name);
  const db = createDb(url, { poolSize: options.poolSize ?? 4, applicationName: "agentbot-test" });
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= (async () => {
      await db.$disconnect();
      await dropDatabase(adminUrl, name);
    })();
    return dropped;
  };
  return { name, url, db, drop, [Symbol.asyncDispose]: drop };
}

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; typeof e === "object" && e !== null; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function templateKey(adminUrl: string, migrationsDir: string) {
  return `${adminUrl}\n${migrationsDir}`;
}

function migratedTemplate(adminUrl: string, migrationsDir: string): Promise<string> {
  const key = templateKey(adminUrl, migrationsDir);
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(adminUrl, migrationsDir);
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return template;
}

async function buildTemplate(adminUrl: string, migrationsDir: string): Promise<string> {
  const { migrations } = await readMigrationsDirectory(migrationsDir);
  const hash = createHash("sha256")
    .update(migrations.map((m) => `${m.name} ${m.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const name = `${TEMPLATE_PREFIX}${hash}`;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_ID]);
    const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rows.length === 0) {
      const building = `${name}_building`;
      await dropDatabase(adminUrl, building); // left by a killed run
      await createDatabase(adminUrl, building);
      await applyMigrations({ databaseUrl: withDatabaseName(adminUrl, building), migrationsDir });
      await client.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
      await client.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      await dropLeftovers(client, adminUrl, name);
    }
    return name;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_ID]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Templates of other migration sets and test databases of killed runs. Best effort: failures are ignored. */
async function dropLeftovers(client: pg.Client, adminUrl: string, keep: string): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'agentbot\\_tpl\\_%' OR datname LIKE 'agentbot\\_test\\_%'",
  );
  const now = Math.floor(Date.now() / 1000);
  for (const { datname } of rows) {
    const template = datname.startsWith(TEMPLATE_PREFIX) && datname !== keep && !datname.endsWith("_building");
    const created = Number(/^agentbot_test_(\d+)_[0-9a-f]+$/.exec(datname)?.[1] ?? Number.NaN);
    const stale = now - created > STALE_AFTER_SECONDS;
    if (!template && !stale) continue;
    try {
      if (template) await client.query(`ALTER DATABASE ${quoteIdent(datname)} WITH IS_TEMPLATE false`);
      await dropDatabase(adminUrl, datname);
    } catch {
      // in use by a concurrent run, or already gone
    }
  }
}
