import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { routes } from "@agentbot/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessVariable, testRedisUrl } from "./env.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { processEnvironment, runtimePid } from "./support/local-runtime.ts";

// Lesson from the earlier implementation: the customer container received the platform's database URL and master
// keys. Here everything a workload receives is inspected for every platform secret: the process environment the
// runtime actually runs with (/proc/<pid>/environ) and every file in its state directory.

const PLATFORM_MODEL_TOKEN_SECRET = "platform-model-token-secret-0123456789abcdef";
const SENTINEL = "backend-only-sentinel-value-9f8e7d6c5b4a";

let backend: AgentsBackend;
beforeAll(async () => {
  // A variable in the backend's own environment must never leak into a workload either.
  setProcessVariable("AGENTBOT_TEST_SENTINEL", SENTINEL);
  backend = await startAgentsBackend({
    config: { platformModel: { baseUrl: "http://127.0.0.1:9/v1", tokenSecret: PLATFORM_MODEL_TOKEN_SECRET } },
  });
});
afterAll(async () => {
  setProcessVariable("AGENTBOT_TEST_SENTINEL", undefined);
  await backend?.close();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry);
    if ((await stat(full)).isFile()) files.push(full);
  }
  return files;
}

describe("what a workload receives", () => {
  it("holds the agent's own settings and no platform secret", async () => {
    const userId = await backend.createUser();
    const providerKey = "sk-test-byo-provider-key-0123456789";
    const telegramBotToken = "123456789:AAH-test-telegram-token-0123456789";
    const accepted = await backend.client.call(routes.provisionAgent, {
      body: {
        userId,
        idempotencyKey: "secret-injection-1",
        name: "byo",
        modelProvider: "openai",
        model: "gpt-4.1-mini",
        providerApiKey: providerKey,
        channels: { telegramBotToken },
      },
    });
    const platformAgent = await backend.client.call(routes.provisionAgent, {
      body: {
        userId,
        idempotencyKey: "secret-injection-2",
        name: "platform",
        modelProvider: "platform",
        model: "m",
        channels: {},
      },
    });
    for (const id of [accepted.agent.id, platformAgent.agent.id]) await backend.waitForStatus(id, ["running"]);

    const platformSecrets = [
      backend.databaseUrl,
      new URL(backend.databaseUrl).password,
      backend.token,
      ...backend.encryptionKeys.split(",").map((entry) => entry.split(":")[1]!),
      PLATFORM_MODEL_TOKEN_SECRET,
      testRedisUrl,
      SENTINEL,
    ].filter((value) => value.length >= 6);

    for (const agentId of [accepted.agent.id, platformAgent.agent.id]) {
      const environment = await processEnvironment(await runtimePid(backend.rootDir, agentId));
      const injected = [...environment.entries()].map(([key, value]) => `${key}=${value}`).join("\n");
      const files = await filesUnder(path.join(backend.rootDir, agentId));
      const contents = (await Promise.all(files.map((file) => readFile(file, "utf8")))).join("\n");
      for (const secret of platformSecrets) {
        expect(injected, "runtime environment").not.toContain(secret);
        expect(contents, "state directory").not.toContain(secret);
      }
      expect(environment.has("AGENTBOT_TEST_SENTINEL")).toBe(false);
      expect(environment.has("DATABASE_URL")).toBe(false);
      expect(environment.get("OPENCLAW_GATEWAY_TOKEN")?.length).toBeGreaterThanOrEqual(43);
    }

    // The agent's own secrets are there, where the runtime reads them.
    const byoEnvironment = await processEnvironment(await runtimePid(backend.rootDir, accepted.agent.id));
    expect([...byoEnvironment.values()]).toContain(providerKey);
    expect([...byoEnvironment.values()]).toContain(telegramBotToken);
    // The platform-provider agent gets a per-agent model token, not the secret it is derived from.
    const platformEnvironment = await processEnvironment(await runtimePid(backend.rootDir, platformAgent.agent.id));
    expect([...platformEnvironment.values()].some((value) => value.startsWith("agm_"))).toBe(true);
    // And at rest the database holds only sealed envelopes.
    const row = await backend.db.agent.findUniqueOrThrow({ where: { id: accepted.agent.id } });
    expect(JSON.stringify(row)).not.toContain(providerKey);
    expect(JSON.stringify(row)).not.toContain(telegramBotToken);
  });
});
