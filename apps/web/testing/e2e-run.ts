import { randomBytes } from "node:crypto";
import { z } from "zod";
import { freePortsSync } from "./free-ports.ts";

/**
 * A second, separate stack for `agents-openclaw.spec.ts`: a backend running agents on the local engine with the real
 * OpenClaw runtime, a web server in front of it, and a fake OpenAI-compatible model provider the runtimes call. It has
 * its own database (each backend runs job workers on its database: two backends must never share one) and its own
 * Redis key prefix; the fast specs keep using the first stack and the fake runtime.
 */
export const OpenclawStack = z.object({
  databaseUrl: z.url(),
  databaseName: z.string().regex(/^agentbot_e2e_\d+_[0-9a-f]+$/),
  redisKeyPrefix: z.string().min(1),
  backendUrl: z.url(),
  webUrl: z.url(),
  /** The fake model provider's base URL, e.g. `http://127.0.0.1:41234/v1` (the backend's PLATFORM_MODEL_BASE_URL). */
  modelBaseUrl: z.url(),
});
export type OpenclawStack = z.infer<typeof OpenclawStack>;

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
  /** The second stack, for the real OpenClaw runtime. */
  openclaw: OpenclawStack,
});
export type E2eRun = z.infer<typeof E2eRun>;

export const e2eRunVariable = "AGENTBOT_E2E_RUN";

export function createE2eRun(adminDatabaseUrl: string): E2eRun {
  const createdAt = Date.now();
  // Both names match the pattern run-backend.ts drops when a killed run left them behind.
  const databaseName = `agentbot_e2e_${createdAt}_${randomBytes(4).toString("hex")}`;
  const openclawDatabaseName = `agentbot_e2e_${createdAt}_${randomBytes(4).toString("hex")}`;
  const urlOf = (name: string) => {
    const url = new URL(adminDatabaseUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const [backendPort, webPort, unreachableWebPort, closedPort, openclawBackendPort, openclawWebPort, modelPort] =
    freePortsSync(7);
  const local = (port: number | undefined) => `http://127.0.0.1:${String(port)}`;
  return {
    createdAt,
    databaseUrl: urlOf(databaseName),
    databaseName,
    serviceToken: randomBytes(32).toString("base64url"),
    authSecret: randomBytes(32).toString("base64url"),
    redisKeyPrefix: `${databaseName}:`,
    adminEmail: `admin-${createdAt}@e2e.agentbot.test`,
    backendUrl: local(backendPort),
    webUrl: local(webPort),
    unreachableWebUrl: local(unreachableWebPort),
    closedBackendUrl: local(closedPort),
    openclaw: {
      databaseUrl: urlOf(openclawDatabaseName),
      databaseName: openclawDatabaseName,
      redisKeyPrefix: `${openclawDatabaseName}:`,
      backendUrl: local(openclawBackendPort),
      webUrl: local(openclawWebPort),
      modelBaseUrl: `${local(modelPort)}/v1`,
    },
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
