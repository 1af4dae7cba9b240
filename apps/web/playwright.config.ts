import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchArgs } from "./testing/chromium.ts";
import { agentPortBaseFor, agentsDirFor, openclawAgentPortBaseFor } from "./testing/e2e-agents.ts";
import { createE2eRun, e2eRunVariable, parseE2eRun, standInPrices } from "./testing/e2e-run.ts";

/**
 * Browser tests against the real stack: the real backend on a fresh PostgreSQL database and the test Redis, and the
 * web app built with `next build` and served by `next start`. `./agentbot test` provides PostgreSQL and Redis.
 *
 * The build runs on every invocation (about 20-40 s): it is built with this run's random service token in its
 * environment, which is what lets `service-token-redaction.spec.ts` prove that the token stays out of the bundles.
 *
 * Two stacks: the first (backend with the fake OpenClaw runtime, web, web-unreachable-backend) serves every spec but
 * one; the second (fake model provider, a backend running the REAL OpenClaw runtime, and a web server in front of it,
 * with its own database and agents dir) serves only the `*-openclaw.spec.ts` specs, its own project. Those specs run
 * side by side (two workers), so each checks only its own agents' processes and directories.
 */

const adminDatabaseUrl = process.env["AGENTBOT_TEST_DATABASE_URL"];
const redisUrl = process.env["AGENTBOT_TEST_REDIS_URL"];
if (!adminDatabaseUrl || !redisUrl) {
  throw new Error(
    "AGENTBOT_TEST_DATABASE_URL and AGENTBOT_TEST_REDIS_URL must be set: run the browser tests with `./agentbot test`, " +
      "which starts PostgreSQL and Redis for them.",
  );
}

const chromium = process.env["AGENTBOT_CHROMIUM_PATH"] ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(
    `Chromium not found at ${chromium}: install it with \`apt-get install -y chromium\` (\`playwright install\` does not work here).`,
  );
}

// The config is loaded again in every worker; the runner's choice reaches them through the environment.
process.env[e2eRunVariable] ??= JSON.stringify(createE2eRun(adminDatabaseUrl));
const run = parseE2eRun(process.env[e2eRunVariable]);

const node = JSON.stringify(process.execPath);
const next = `${node} node_modules/next/dist/bin/next`;
const portOf = (url: string) => new URL(url).port;
const isCI = Boolean(process.env["CI"]);
const openclawSpec = /-openclaw\.spec\.ts$/;

const chromiumUse = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: chromium,
    args: [...chromiumLaunchArgs],
  },
};

const webEnv = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  BACKEND_SERVICE_TOKEN: run.serviceToken,
  // Accounts: the run's database (migrated by the backend, which starts first), the test Redis under this run's key
  // prefix, and the run's secrets. Proof of work is the bot check; the browser really solves it.
  DATABASE_URL: run.databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: run.redisKeyPrefix,
  BETTER_AUTH_SECRET: run.authSecret,
  ADMIN_EMAILS: run.adminEmail,
  BOT_CHECK_PROVIDER: "pow",
  // Nothing sits in front of `next start` here; Next sets x-forwarded-for from the socket when the client sends none.
  // Tests send their own to get an IP of their own (per-IP rate limits stay per test, and can be tested).
  TRUST_PROXY_HEADERS: "true",
};

// Billing against the stand-ins: card (Stripe) and USDC (CDP) both configured, one monthly price per plan. The web
// app and the backend read the same configuration, as they do in production.
const billingEnv = {
  STRIPE_SECRET_KEY: run.billing.stripeSecretKey,
  STRIPE_WEBHOOK_SECRET: run.billing.stripeWebhookSecret,
  STRIPE_API_BASE: run.billing.stripeUrl,
  ...Object.fromEntries(
    standInPrices.map((price) => [`STRIPE_PRICE_${price.id.split("_")[2]!.toUpperCase()}_MONTHLY`, price.id]),
  ),
  CDP_API_KEY_ID: run.billing.cdpApiKeyId,
  CDP_API_KEY_SECRET: run.billing.cdpApiKeySecret,
  CDP_WALLET_SECRET: run.billing.cdpWalletSecret,
  CDP_WEBHOOK_SECRET: run.billing.cdpWebhookSecret,
  CDP_API_BASE: `${run.billing.cdpOrigin}/platform`,
  DISABLE_CDP_USAGE_TRACKING: "true",
  DISABLE_CDP_ERROR_REPORTING: "true",
};

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  forbidOnly: isCI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  // Assertions wait for a state (a URL, a text); on a busy 2-core machine a navigation after a sign-in can take more
  // than Playwright's default 5 s (seen: a sign-in while two browsers solved proofs of work). Waiting longer for the
  // state changes nothing when it comes quickly.
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: run.webUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "chromium", testIgnore: openclawSpec, use: chromiumUse },
    {
      // The real runtime: the OpenClaw stack's web server, one long test (it sets its own timeout).
      name: "openclaw",
      testMatch: openclawSpec,
      use: { ...chromiumUse, baseURL: run.openclaw.webUrl },
    },
  ],
  // Started in order, stopped in reverse: each backend (with its database) outlives its web servers.
  webServer: [
    {
      name: "stripe-stand-in",
      command: `${node} ../../packages/billing/src/testing/stripe-stand-in/main.ts`,
      url: `${run.billing.stripeUrl}/_standin/health`,
      env: {
        STRIPE_STAND_IN_PORT: portOf(run.billing.stripeUrl),
        STRIPE_SECRET_KEY: run.billing.stripeSecretKey,
        STRIPE_WEBHOOK_SECRET: run.billing.stripeWebhookSecret,
        STRIPE_STAND_IN_WEBHOOK_URL: `${run.webUrl}/api/webhooks/stripe`,
        STRIPE_STAND_IN_PRICES: JSON.stringify(standInPrices),
      },
      timeout: 30_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "cdp-stand-in",
      command: `${node} ../../packages/billing/src/testing/cdp-stand-in/main.ts`,
      url: `${run.billing.cdpOrigin}/_standin/health`,
      env: {
        CDP_STAND_IN_PORT: portOf(run.billing.cdpOrigin),
        CDP_API_KEY_ID: run.billing.cdpApiKeyId,
        CDP_API_KEY_SECRET: run.billing.cdpApiKeySecret,
        CDP_WALLET_SECRET: run.billing.cdpWalletSecret,
        CDP_WEBHOOK_SECRET: run.billing.cdpWebhookSecret,
        CDP_STAND_IN_WEBHOOK_URL: `${run.webUrl}/api/webhooks/cdp`,
      },
      timeout: 30_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "backend",
      command: `${node} testing/run-backend.ts`,
      url: `${run.backendUrl}/readyz`,
      env: {
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        PORT: portOf(run.backendUrl),
        REDIS_URL: redisUrl,
        BACKEND_SERVICE_TOKEN: run.serviceToken,
        LOG_LEVEL: "warn",
        // Agents run on the local engine with the fake OpenClaw runtime (real probes and chat stream, no 650 MB
        // install), booting after a delay so provisioning can be watched. testing/run-backend.ts removes the agents
        // directory, and any runtime a failed test left running, when the backend stops.
        AGENTBOT_ENGINE: "local",
        AGENTBOT_LOCAL_RUNTIME: "fake",
        AGENTBOT_FAKE_RUNTIME_BOOT_DELAY_MS: "3000",
        AGENTBOT_AGENTS_DIR: agentsDirFor(run),
        AGENTBOT_LOCAL_PORT_BASE: String(agentPortBaseFor(run)),
        // Only the runner process starts the backend, so a key made when the config loads there is the run's key.
        SECRETS_ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
        REDIS_SLOT_KEY_PREFIX: run.redisKeyPrefix,
        PUBLIC_WEB_URL: run.webUrl,
        HEALTH_POLL_INTERVAL_MS: "2000",
        // The platform provider must be configured for `modelProvider: "platform"` agents; the fake runtime never
        // calls it (it echoes), so nothing listens there.
        PLATFORM_MODEL_BASE_URL: `${run.closedBackendUrl}/v1`,
        PLATFORM_MODEL_TOKEN_SECRET: randomBytes(32).toString("base64url"),
        ...billingEnv,
        // The billing worker's sweep (grace periods, renewals) every few seconds rather than every minute.
        BILLING_SWEEP_INTERVAL_MS: "5000",
      },
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    },
    {
      name: "web",
      command: `${next} build && ${next} start --hostname 127.0.0.1 --port ${portOf(run.webUrl)}`,
      url: run.webUrl,
      // DEV_OUTBOX: this production build shows /dev/outbox, where the tests read the emails the app sent.
      env: { ...webEnv, ...billingEnv, BACKEND_URL: run.backendUrl, APP_URL: run.webUrl, DEV_OUTBOX: "1" },
      timeout: 240_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "web-unreachable-backend",
      command: `${next} start --hostname 127.0.0.1 --port ${portOf(run.unreachableWebUrl)}`,
      url: run.unreachableWebUrl,
      // No DEV_OUTBOX: this server also shows that /dev/outbox is a 404 in production.
      env: { ...webEnv, BACKEND_URL: run.closedBackendUrl, APP_URL: run.unreachableWebUrl },
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    // --- The OpenClaw stack (*-openclaw.spec.ts) ------------------------------------------------------------
    {
      name: "fake-openai",
      command: `${node} testing/run-fake-openai.ts`,
      // Every unauthenticated request answers 401, which Playwright counts as up.
      url: `${run.openclaw.modelBaseUrl}/models`,
      timeout: 30_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      name: "backend-openclaw",
      command: `${node} testing/run-backend.ts openclaw`,
      url: `${run.openclaw.backendUrl}/readyz`,
      // The backend's warnings and errors (LOG_LEVEL=warn) show why a real runtime failed, if one does.
      stdout: "pipe",
      env: {
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        PORT: portOf(run.openclaw.backendUrl),
        REDIS_URL: redisUrl,
        BACKEND_SERVICE_TOKEN: run.serviceToken,
        LOG_LEVEL: "warn",
        // The real OpenClaw runtime, installed on first use into the runtime cache (AGENTBOT_RUNTIME_CACHE_DIR, by
        // default <repo>/.data/cache, shared with `./agentbot start` and later runs, so only a fresh clone installs).
        AGENTBOT_ENGINE: "local",
        AGENTBOT_LOCAL_RUNTIME: "openclaw",
        AGENTBOT_AGENTS_DIR: agentsDirFor(run.openclaw),
        AGENTBOT_LOCAL_PORT_BASE: String(openclawAgentPortBaseFor(run.openclaw)),
        SECRETS_ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
        REDIS_SLOT_KEY_PREFIX: run.openclaw.redisKeyPrefix,
        PUBLIC_WEB_URL: run.openclaw.webUrl,
        HEALTH_POLL_INTERVAL_MS: "2000",
        // A cold cache installs OpenClaw (20-25 s) before the first boot (10-25 s on 2 cores, slower under load).
        HEALTH_DEADLINE_MS: "300000",
        // The runtimes' platform provider is the fake model server; each runtime authenticates with its own token.
        PLATFORM_MODEL_BASE_URL: run.openclaw.modelBaseUrl,
        PLATFORM_MODEL_TOKEN_SECRET: randomBytes(32).toString("base64url"),
      },
      timeout: 60_000,
      // Stopping the backend, then killing any runtime a failed test left (SIGTERM grace 10 s) and dropping the database.
      gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    },
    {
      name: "web-openclaw",
      command: `${next} start --hostname 127.0.0.1 --port ${portOf(run.openclaw.webUrl)}`,
      url: run.openclaw.webUrl,
      env: {
        ...webEnv,
        DATABASE_URL: run.openclaw.databaseUrl,
        REDIS_KEY_PREFIX: run.openclaw.redisKeyPrefix,
        BACKEND_URL: run.openclaw.backendUrl,
        APP_URL: run.openclaw.webUrl,
        DEV_OUTBOX: "1",
      },
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
  ],
});
