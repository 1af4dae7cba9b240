/**
 * Playwright's backend webServers: creates a stack's database, runs the real backend on it, and when the backend stops
 * kills the agent runtimes a failed test left behind and drops the database. (Playwright starts webServers before
 * globalSetup, so the database cannot come from there.)
 *
 * Usage: node testing/run-backend.ts [openclaw] (env: AGENTBOT_E2E_RUN, AGENTBOT_TEST_DATABASE_URL, and the backend's
 * own variables as set by playwright.config.ts). Without an argument it runs the first stack (the run's database);
 * with `openclaw`, the OpenClaw stack (`run.openclaw`, its own database).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { agentsDirFor, removeLeftoverAgents } from "./e2e-agents.ts";
import { adminDatabaseUrl, e2eRun, inheritedEnv } from "./env.ts";

const staleAfterMs = 6 * 60 * 60 * 1000;
const backendDir = fileURLToPath(new URL("../../backend/", import.meta.url));

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Drops databases left by runs that were killed before they could clean up (older than six hours). */
async function dropStaleDatabases(client: pg.Client) {
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname ~ '^agentbot_e2e_[0-9]+_[0-9a-f]+$'",
  );
  for (const { datname } of rows) {
    const createdAt = Number(datname.split("_")[2]);
    if (Date.now() - createdAt > staleAfterMs) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      console.error(`[e2e] dropped stale database ${datname}`);
    }
  }
}

function chosenStack(): { readonly databaseName: string; readonly databaseUrl: string } {
  const run = e2eRun();
  const [name, ...rest] = process.argv.slice(2);
  if (rest.length > 0 || (name !== undefined && name !== "openclaw")) {
    throw new Error(`usage: run-backend.ts [openclaw] (got: ${process.argv.slice(2).join(" ")})`);
  }
  return name === "openclaw" ? run.openclaw : run;
}

async function main() {
  const stack = chosenStack();
  await withAdmin(async (client) => {
    await dropStaleDatabases(client);
    await client.query(`CREATE DATABASE ${quoteIdent(stack.databaseName)}`);
  });

  const backend = spawn(process.execPath, ["src/main.ts"], {
    cwd: backendDir,
    env: { ...inheritedEnv(), DATABASE_URL: stack.databaseUrl },
    stdio: "inherit",
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => backend.kill(signal));
  }
  const [code, signal] = (await once(backend, "exit")) as [number | null, NodeJS.Signals | null];

  await removeLeftoverAgents(agentsDirFor(stack));

  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(stack.databaseName)} WITH (FORCE)`));
  process.exitCode = code ?? (signal ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error("[e2e] run-backend failed:", error);
  process.exitCode = 1;
});
