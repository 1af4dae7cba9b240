import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createBackendClient } from "@agentbot/client";
import { routes } from "@agentbot/contracts";
import { newId } from "@agentbot/db";
import { createTestDatabase } from "@agentbot/db/testing";
import type { TestDatabase } from "@agentbot/db/testing";
import { createLocalDriver } from "@agentbot/engine";
import { fakeRuntimeLauncher } from "@agentbot/engine/testing/fake";
import { findFreePort } from "@agentbot/local-infra";
import { generateEncryptionKey } from "@agentbot/secrets";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedisUrl } from "./env.ts";
import { spawnBackend, waitUntilReady } from "./support/spawn-backend.ts";
import type { SpawnedBackend } from "./support/spawn-backend.ts";

// The backend is killed with SIGKILL (no shutdown code runs) in the middle of provisioning, then started again:
// the agent must end running or failed — never stuck — with exactly one runtime process and no leaked slot.

let database: TestDatabase;
let rootDir: string;
let port: number;
let env: Record<string, string>;
const token = randomBytes(32).toString("base64url");
const slotPrefix = `test-crash-${randomBytes(4).toString("hex")}:`;
const running: SpawnedBackend[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  rootDir = await mkdtemp(path.join(tmpdir(), "agentbot-crash-"));
  port = await findFreePort();
  env = {
    NODE_ENV: "test",
    PORT: String(port),
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl,
    REDIS_SLOT_KEY_PREFIX: slotPrefix,
    BACKEND_SERVICE_TOKEN: token,
    SECRETS_ENCRYPTION_KEYS: generateEncryptionKey(1),
    AGENTBOT_LOCAL_RUNTIME: "fake",
    PLATFORM_MODEL_BASE_URL: "http://127.0.0.1:9/v1",
    PLATFORM_MODEL_TOKEN_SECRET: randomBytes(32).toString("base64url"),
    // The runtime takes 3 s to answer, so the kill lands while the job waits for it.
    AGENTBOT_FAKE_RUNTIME_BOOT_DELAY_MS: "3000",
    AGENTBOT_AGENTS_DIR: rootDir,
    AGENTBOT_LOCAL_PORT_BASE: String(31_000 + Math.floor(Math.random() * 100) * 120),
    SLOT_LEASE_MS: "2000",
    RECONCILE_INTERVAL_MS: "1000",
    HEALTH_DEADLINE_MS: "30000",
    LOG_LEVEL: "warn",
  };
});

afterAll(async () => {
  for (const backend of running) {
    if (backend.child.exitCode === null && backend.child.signalCode === null) backend.child.kill("SIGKILL");
  }
  const driver = createLocalDriver({ rootDir, launcher: fakeRuntimeLauncher(), stopGraceMs: 1_000 });
  for (const workload of await driver.list()) await driver.delete(workload.ref);
  await driver.close();
  await database?.drop();
  await rm(rootDir, { recursive: true, force: true });
});

/** Processes whose environment places their state under this test's root: the runtimes it started. */
async function runtimeProcesses(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
    if (environ.includes(`OPENCLAW_STATE_DIR=${rootDir}`)) pids.push(Number(entry));
  }
  return pids;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("SIGKILL during provisioning", () => {
  it("recovers after a restart: running, one runtime, no leaked slot", async () => {
    const baseUrl = `http://127.0.0.1:${port}`;
    const first = spawnBackend(env);
    running.push(first);
    await waitUntilReady(baseUrl, first);

    const userId = newId("user");
    await database.db.user.create({
      data: { id: userId, name: "Crash", email: `${userId}@example.test`, plan: "label", subscriptionStatus: "active" },
    });
    const client = createBackendClient({ baseUrl, token, timeoutMs: 10_000 });
    const accepted = await client.call(routes.provisionAgent, {
      body: {
        userId,
        idempotencyKey: "crash-recovery-1",
        name: "survivor",
        modelProvider: "platform",
        model: "m",
        channels: {},
      },
    });

    // Kill it once the runtime process exists and the job is waiting for its health probes.
    await waitFor("the engine to create the runtime", () =>
      database.db.agentEvent.findFirst({ where: { agentId: accepted.agent.id, type: "engine.created" } }),
    );
    first.child.kill("SIGKILL");
    await first.exited;
    const mid = await database.db.agentOperation.findUniqueOrThrow({ where: { id: accepted.operation.id } });
    expect(mid.status).toBe("running");
    expect(await runtimeProcesses()).toHaveLength(1);

    const second = spawnBackend(env);
    running.push(second);
    await waitUntilReady(baseUrl, second);
    const agent = await waitFor("the agent to settle", async () => {
      const row = await database.db.agent.findUniqueOrThrow({ where: { id: accepted.agent.id } });
      return (row.status === "running" || row.status === "failed") && row.activeOperationId === null ? row : null;
    });
    const timeline = await database.db.agentEvent.findMany({
      where: { agentId: agent.id },
      orderBy: { createdAt: "asc" },
    });
    expect(agent.status, timeline.map((event) => `${event.type}: ${event.message}`).join("\n")).toBe("running");
    const operation = await database.db.agentOperation.findUniqueOrThrow({ where: { id: accepted.operation.id } });
    expect(operation.status).toBe("succeeded");

    // Exactly one runtime: the one the first backend started was re-adopted, not duplicated or orphaned.
    const processes = await runtimeProcesses();
    expect(processes).toHaveLength(1);
    const health = await fetch(`${agent.url}/healthz`);
    expect(health.status).toBe(200);

    // No leaked slot: once nothing runs, no holder is left in Redis.
    const redis = new Redis(testRedisUrl);
    try {
      await waitFor("slots to be free", async () => {
        const holders = await redis.zrange(`semaphore:${slotPrefix}slots:global`, 0, -1);
        return holders.length === 0;
      });
    } finally {
      redis.disconnect();
    }

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
