import { parseE2eRun } from "./e2e-run.ts";
import type { E2eRun } from "./e2e-run.ts";

/** The browser-test helpers' only access to the environment (lint allows `process.env` here and in the config). */

/** This run's settings, as `playwright.config.ts` chose them. */
export function e2eRun(): E2eRun {
  return parseE2eRun(process.env["AGENTBOT_E2E_RUN"]);
}

/** Admin connection to the test PostgreSQL (may CREATE DATABASE), set by `./agentbot test`. */
export function adminDatabaseUrl(): string {
  const url = process.env["AGENTBOT_TEST_DATABASE_URL"];
  if (!url) throw new Error("AGENTBOT_TEST_DATABASE_URL is not set: run the browser tests through `./agentbot test`.");
  return url;
}

/** The environment this process was started with, for passing on to a child process. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
