// Creating and dropping whole databases on a server, through a superuser (or CREATEDB) connection URL.
import pg from "pg";
import { mapDbError } from "./errors.ts";

/** `url` with its database name replaced. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A PostgreSQL identifier in double quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs one statement on its own short-lived connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function runAdminStatement(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {}); // a dropped connection fails the statement below instead
  try {
    await client.connect();
    await client.query(sql);
  } catch (error) {
    throw mapDbError(error);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createDatabase(adminUrl: string, name: string, options: { template?: string } = {}) {
  const template = options.template === undefined ? "" : ` TEMPLATE ${quoteIdent(options.template)}`;
  await runAdminStatement(adminUrl, `CREATE DATABASE ${quoteIdent(name)}${template}`);
  return withDatabaseName(adminUrl, name);
}

/** Drops `name`, disconnecting its sessions first (PostgreSQL 13+). No error when it does not exist. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await runAdminStatement(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}
