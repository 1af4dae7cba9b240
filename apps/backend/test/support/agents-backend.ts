import { createCommandClassifier } from "@agentbot/command-classifier";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createBackendClient } from "@agentbot/client";
import type { AgentStatus } from "@agentbot/contracts";
import { newId } from "@agentbot/db";
import { createTestDatabase } from "@agentbot/db/testing";
import { createLocalDriver } from "@agentbot/engine";
import type { EngineDriver } from "@agentbot/engine";
import { fakeRuntimeLauncher } from "@agentbot/engine/testing/fake";
import type { FakeRuntimeLauncherOptions } from "@agentbot/engine/testing/fake";
import { createOutboxProvider } from "@agentbot/email";
import { createRedisStore } from "@agentbot/kv";
import { generateEncryptionKey } from "@agentbot/secrets";
import type { AgentConfig } from "../../src/agents/agent-services.ts";
import { createAgentSubsystem } from "../../src/agents/agent-subsystem.ts";
import type { HealthPollerConfig } from "../../src/agents/health/health-poller.ts";
import { createApp } from "../../src/app.ts";
import type { ApprovalResolver } from "../../src/approvals/approval-resolver.ts";
import { createApprovalServices } from "../../src/approvals/approval-services.ts";
import { createLogger } from "../../src/logger.ts";
import { testRedisUrl } from "../env.ts";
import { LogCapture } from "./log-capture.ts";

export interface AgentsBackendOptions {
  readonly slots?: { globalLimit?: number; perUserLimit?: number; leaseMs?: number };
  readonly config?: Partial<AgentConfig>;
  readonly health?: Partial<HealthPollerConfig>;
  readonly launcher?: FakeRuntimeLauncherOptions;
  /** Use this driver instead of a local driver with the fake runtime. */
  readonly driver?: (rootDir: string) => EngineDriver;
  /** Start the worker, poller and reconciler timers (default true; false to drive them by hand). */
  readonly startWorkers?: boolean;
  readonly workerConcurrency?: number;
  /** The approvals' port to the runtime (default: unavailable, as in a backend without the approver's port). */
  readonly approvalResolver?: ApprovalResolver;
}

/** A free-ish port range per test file, so parallel test files never hand two runtimes one port. */
function randomPortBase(): number {
  return 30_000 + Math.floor(Math.random() * 200) * 120;
}

/**
 * The real backend app with the real agents subsystem: a fresh PostgreSQL database, Redis (slots, live events),
 * pg-boss jobs, and the local engine driver running the fake OpenClaw runtime as real child processes.
 */
export async function startAgentsBackend(options: AgentsBackendOptions = {}) {
  const database = await createTestDatabase({ poolSize: 8 });
  const { db } = database;
  const rootDir = await mkdtemp(path.join(tmpdir(), "agentbot-agents-"));
  const keyPrefix = `test:${randomUUID()}:`;
  const kv = createRedisStore(testRedisUrl, { keyPrefix });
  const logs = new LogCapture();
  const logger = createLogger({ level: "debug", destination: logs.stream });
  const token = randomBytes(32).toString("base64url");
  const encryptionKeys = generateEncryptionKey(1);
  const driver =
    options.driver?.(rootDir) ??
    createLocalDriver({
      rootDir,
      launcher: fakeRuntimeLauncher(options.launcher ?? {}),
      portBase: randomPortBase(),
      stopGraceMs: 2_000,
    });
  const registry = await db.backendInstance.create({
    data: { id: newId("backendInstance"), hostname: "test", pid: process.pid, version: "test" },
  });
  const subsystem = await createAgentSubsystem({
    db,
    kv,
    logger,
    databaseUrl: database.url,
    redisUrl: testRedisUrl,
    driver,
    encryptionKeys,
    workerId: registry.id,
    workerConcurrency: options.workerConcurrency ?? 8,
    slots: {
      globalLimit: options.slots?.globalLimit ?? 4,
      perUserLimit: options.slots?.perUserLimit ?? 4,
      leaseMs: options.slots?.leaseMs ?? 5_000,
    },
    config: {
      defaultRuntimeVersion: "2026.9.6",
      queuePerUserCap: 10,
      operationDeadlineMs: 60_000,
      healthDeadlineMs: 15_000,
      leaseMs: 5_000,
      slotRetryMs: 200,
      engineRetryLimit: 2,
      engineRetryBaseDelayMs: 100,
      // Nothing listens there: the fake runtime never calls it, and the real one is tested elsewhere.
      platformModel: { baseUrl: "http://127.0.0.1:9/v1", tokenSecret: "test-platform-model-token-secret-0123456789" },
      controlUiOrigins: ["http://127.0.0.1:3000"],
      ...options.config,
    },
    health: {
      intervalMs: 200,
      degradedAfter: 2,
      autoRestartLimit: 2,
      autoRestartBaseDelayMs: 0,
      concurrency: 16,
      probeTimeoutMs: 1_000,
      ...options.health,
    },
    reconcile: { intervalMs: 60_000, orphanGraceMs: 0 },
    slotKeyPrefix: keyPrefix,
  });
  const approvals = createApprovalServices({
    db,
    kv,
    logger,
    classifier: await createCommandClassifier(),
    resolver: options.approvalResolver,
    email: createOutboxProvider({ db, from: "Agentbot <no-reply@agentbot.localhost>" }),
    webUrl: "http://127.0.0.1:3000",
  });
  const app = createApp({
    db,
    kv,
    logger,
    serviceToken: token,
    version: "9.9.9-test",
    environment: "test",
    startedAt: new Date(),
    readinessTimeoutMs: 1_000,
    now: () => new Date(),
    agents: subsystem.services,
    approvals,
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (options.startWorkers ?? true) await subsystem.start();
  const client = createBackendClient({ baseUrl, token, timeoutMs: 10_000 });

  async function createUser(
    overrides: { plan?: string | null; subscriptionStatus?: string; role?: string; banned?: boolean } = {},
  ) {
    const id = newId("user");
    await db.user.create({
      data: {
        id,
        name: "Test user",
        email: `${id}@example.test`,
        emailVerified: true,
        plan: overrides.plan === undefined ? "label" : overrides.plan,
        subscriptionStatus: overrides.subscriptionStatus ?? "active",
        role: overrides.role ?? "user",
        banned: overrides.banned ?? false,
      },
    });
    return id;
  }

  /** Polls the agent record until its status is one of `statuses` (or fails with the last status seen). */
  async function waitForStatus(agentId: string, statuses: readonly AgentStatus[], timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      const agent = await db.agent.findUniqueOrThrow({ where: { id: agentId } });
      last = `${agent.status}${agent.failureMessage ? ` (${agent.failureReason}: ${agent.failureMessage})` : ""}`;
      if ((statuses as readonly string[]).includes(agent.status) && agent.activeOperationId === null) return agent;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`agent ${agentId} did not reach ${statuses.join("/")} within ${timeoutMs} ms; last: ${last}`);
  }

  let closed = false;
  return {
    db,
    kv,
    client,
    baseUrl,
    token,
    logs,
    driver,
    rootDir,
    encryptionKeys,
    databaseUrl: database.url,
    subsystem,
    services: subsystem.services,
    approvals,
    createUser,
    waitForStatus,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      server.close();
      // Remove every workload this test created, so no process outlives the test.
      const workloads = await driver.list().catch(() => []);
      for (const workload of workloads) await driver.delete(workload.ref).catch(() => undefined);
      await subsystem.stop(2_000);
      await kv.close();
      await database.drop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

export type AgentsBackend = Awaited<ReturnType<typeof startAgentsBackend>>;
