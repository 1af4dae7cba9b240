import { once } from "node:events";
import { createDb } from "@agentbot/db";
import { applyMigrations, migrationsDir } from "@agentbot/db/migrations";
import { createEmailProvider } from "@agentbot/email";
import { createCommandClassifier } from "@agentbot/command-classifier";
import { createKeyValueStore } from "@agentbot/kv";
import { agentSubsystemSettingsFrom } from "./agents/agent-config.ts";
import { createAgentSubsystem } from "./agents/agent-subsystem.ts";
import { createEngineDriver } from "./agents/engine-factory.ts";
import { createApp } from "./app.ts";
import { createApprovalServices } from "./approvals/approval-services.ts";
import { createApprovalSweeper } from "./approvals/approval-sweeper.ts";
import { createApprover } from "./approvals/approver.ts";
import { createBillingSubsystem } from "./billing/billing-subsystem.ts";
import { EnvError, loadEnv } from "./env.ts";
import { registerBackendInstance } from "./instances/backend-instance-registry.ts";
import { createLogger } from "./logger.ts";
import { packageVersion } from "./version.ts";

// Exit code for configuration errors (EX_CONFIG), so supervisors can tell "fix your env" from a crash.
const EXIT_CONFIG = 78;
const SHUTDOWN_GRACE_MS = 10_000;

function loadEnvOrExit() {
  try {
    return loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\nThe backend did not start. See README.md, "Configuration".\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

async function main() {
  const env = loadEnvOrExit();
  const version = env.AGENTBOT_VERSION ?? packageVersion;
  const logger = createLogger({ level: env.LOG_LEVEL, base: { version } });
  if (env.serviceTokenWasGenerated) {
    logger.warn(
      "BACKEND_SERVICE_TOKEN is not set: generated a random one for this process, so every service route refuses " +
        "all callers until you set it (development only; other environments refuse to start).",
    );
  }

  if (env.MIGRATE_ON_BOOT) {
    await applyMigrations({
      databaseUrl: env.DATABASE_URL,
      migrationsDir,
      log: (message: string) => logger.info({ component: "migrations" }, message),
    });
  }

  const db = createDb(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE });
  const kv = createKeyValueStore(env.REDIS_URL, { onError: (error) => logger.warn({ err: error }, "redis error") });
  if (kv.kind === "in_process") {
    logger.info("REDIS_URL is not set: using in-process stand-ins for Redis (single backend instance only)");
  }
  const startedAt = new Date();
  const registry = await registerBackendInstance(db, logger, { version });
  if (env.encryptionKeyWasGenerated) {
    logger.warn(
      "SECRETS_ENCRYPTION_KEYS is not set: generated a key for this process, so agents created now cannot be " +
        "operated after a restart (development only; other environments refuse to start). ./agentbot start sets one.",
    );
  }
  const agents = await createAgentSubsystem({
    db,
    kv,
    logger,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    driver: createEngineDriver(env, logger),
    encryptionKeys: env.SECRETS_ENCRYPTION_KEYS,
    workerId: registry.id,
    ...agentSubsystemSettingsFrom(env),
  });

  const email = createEmailProvider({ resendApiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM, db });
  const webUrl = env.PUBLIC_WEB_URL ?? "http://localhost:3000";
  const approvals = createApprovalServices({
    db,
    kv,
    logger: logger.child({ component: "approvals" }),
    classifier: await createCommandClassifier(),
    // The port to the runtime: the approver's connections (created below; the services and the approver need each
    // other). For agents another instance holds it answers `unavailable`, and that instance delivers the decision
    // from the decisions channel (and again at its next connect).
    resolver: {
      resolve: (input) => approver.resolver.resolve(input),
      removeAllowlistEntry: (input) => approver.resolver.removeAllowlistEntry(input),
    },
    email,
    webUrl,
    notifyAfterMs: env.APPROVAL_NOTIFY_AFTER_SECONDS * 1000,
  });
  const approvalSweeper = createApprovalSweeper(approvals);
  const approver = createApprover(agents.services, approvals, {
    leaseMs: env.APPROVER_LEASE_MS,
    clientVersion: version,
  });

  const app = createApp({
    db,
    kv,
    logger,
    serviceToken: env.BACKEND_SERVICE_TOKEN,
    version,
    environment: env.NODE_ENV,
    startedAt,
    readinessTimeoutMs: env.READINESS_TIMEOUT_MS,
    now: () => new Date(),
    agents: agents.services,
    approvals,
  });
  const server = app.listen(env.PORT, env.HOST);
  await once(server, "listening");
  logger.info({ url: `http://${env.HOST}:${env.PORT}` }, "backend listening");
  await agents.start();
  logger.info({ engine: env.AGENTBOT_ENGINE }, "agents worker, health poller and reconciler started");
  await approver.start();
  logger.info("approver started (one operator connection per running agent)");
  approvalSweeper.start();
  const billing = createBillingSubsystem({
    db,
    logger,
    agents: agents.services,
    email,
    config: env.billing,
    webUrl,
    databaseUrl: env.DATABASE_URL,
    sweepIntervalMs: env.BILLING_SWEEP_INTERVAL_MS,
  });
  await billing.worker.start();
  logger.info(
    { card: env.billing.stripe !== null, usdc: env.billing.usdc !== null },
    "billing worker started (suspension, resumption, billing emails, USDC renewals)",
  );

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close();
    server.closeIdleConnections();
    await billing.worker.stop();
    await approvalSweeper.stop();
    await approver.stop();
    await agents.stop(SHUTDOWN_GRACE_MS / 2);
    await registry.stop();
    await Promise.allSettled([db.$disconnect(), kv.close()]);
    logger.info("stopped");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `backend failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
