import { randomBytes } from "node:crypto";
import { z } from "zod";
import { freePortsSync } from "./free-ports.ts";

/**
 * One browser-test run's settings. `playwright.config.ts` creates them once in the runner process and passes them to
 * the servers it starts and, through the environment, to the test workers (which load the config again).
 */
export const E2eRun = z.object({
  /** When the run started (ms since epoch); the web build must be newer, so the redaction test checks this run's build. */
  createdAt: z.number().int(),
  /** A fresh database per run, created by `run-backend.ts` and dropped when the backend stops. */
  databaseUrl: z.url(),
  databaseName: z.string().regex(/^agentbot_e2e_\d+_[0-9a-f]+$/),
  serviceToken: z.string().min(32),
  /** The web app's BETTER_AUTH_SECRET for this run. */
  authSecret: z.string().min(32),
  /** Prefix of every Redis key the web app writes, so runs sharing the test Redis never see each other's keys. */
  redisKeyPrefix: z.string().min(1),
  /** In the web app's ADMIN_EMAILS: whoever signs up with it is an admin. */
  adminEmail: z.email(),
  backendUrl: z.url(),
  webUrl: z.url(),
  /** A second web server whose BACKEND_URL points at a port nothing listens on. */
  unreachableWebUrl: z.url(),
  closedBackendUrl: z.url(),
});
export type E2eRun = z.infer<typeof E2eRun>;

export const e2eRunVariable = "AGENTBOT_E2E_RUN";

export function createE2eRun(adminDatabaseUrl: string): E2eRun {
  const createdAt = Date.now();
  const databaseName = `agentbot_e2e_${createdAt}_${randomBytes(4).toString("hex")}`;
  const databaseUrl = new URL(adminDatabaseUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const [backendPort, webPort, unreachableWebPort, closedPort] = freePortsSync(4);
  const local = (port: number | undefined) => `http://127.0.0.1:${String(port)}`;
  return {
    createdAt,
    databaseUrl: databaseUrl.toString(),
    databaseName,
    serviceToken: randomBytes(32).toString("base64url"),
    authSecret: randomBytes(32).toString("base64url"),
    redisKeyPrefix: `${databaseName}:`,
    adminEmail: `admin-${createdAt}@e2e.agentbot.test`,
    backendUrl: local(backendPort),
    webUrl: local(webPort),
    unreachableWebUrl: local(unreachableWebPort),
    closedBackendUrl: local(closedPort),
  };
}

export function parseE2eRun(json: string | undefined): E2eRun {
  if (json === undefined) {
    throw new Error(
      `${e2eRunVariable} is not set: run the browser tests with \`playwright test\` (via ./agentbot test).`,
    );
  }
  return E2eRun.parse(JSON.parse(json));
}
