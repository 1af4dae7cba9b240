import { randomBytes } from "node:crypto";
import { generateCdpTestCredentials } from "@agentbot/billing/testing";
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
 * The payment providers' local stand-ins (packages/billing/src/testing): the web app's Stripe SDK and CDP SDK talk to
 * them as they would to Stripe and Coinbase, and they deliver signed webhooks to the web app's routes.
 */
export const BillingStandIns = z.object({
  stripeUrl: z.url(),
  stripeSecretKey: z.string().startsWith("sk_test_"),
  stripeWebhookSecret: z.string().startsWith("whsec_"),
  cdpOrigin: z.url(),
  cdpApiKeyId: z.string(),
  cdpApiKeySecret: z.string(),
  cdpWalletSecret: z.string(),
  cdpWebhookSecret: z.string().min(16),
});
export type BillingStandIns = z.infer<typeof BillingStandIns>;

/** The Stripe prices the stand-in sells, one per plan, monthly (what STRIPE_PRICE_<PLAN>_MONTHLY name). */
export const standInPrices = [
  { id: "price_e2e_solo_monthly", unitAmount: 1900, currency: "usd", interval: "month" },
  { id: "price_e2e_collective_monthly", unitAmount: 4900, currency: "usd", interval: "month" },
  { id: "price_e2e_label_monthly", unitAmount: 14900, currency: "usd", interval: "month" },
  { id: "price_e2e_network_monthly", unitAmount: 39900, currency: "usd", interval: "month" },
] as const;

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
  billing: BillingStandIns,
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
  const [
    backendPort,
    webPort,
    unreachableWebPort,
    closedPort,
    openclawBackendPort,
    openclawWebPort,
    modelPort,
    stripePort,
    cdpPort,
  ] = freePortsSync(9);
  const cdp = generateCdpTestCredentials();
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
    billing: {
      stripeUrl: local(stripePort),
      stripeSecretKey: `sk_test_e2e${randomBytes(12).toString("hex")}`,
      stripeWebhookSecret: `whsec_e2e${randomBytes(16).toString("hex")}`,
      cdpOrigin: local(cdpPort),
      cdpApiKeyId: cdp.apiKeyId,
      cdpApiKeySecret: cdp.apiKeySecret,
      cdpWalletSecret: cdp.walletSecret,
      cdpWebhookSecret: randomBytes(24).toString("hex"),
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
