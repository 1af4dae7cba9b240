import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runtimeCacheDir } from "../src/env/openclaw.ts";
import type { RuntimeCommand } from "../src/local/runtime-launcher.ts";
import type { OpenclawRuntimeInput } from "../src/openclaw/config.ts";
import { buildOpenclawRuntime } from "../src/openclaw/config.ts";
import { createOpenclawLauncher } from "../src/openclaw/launcher.ts";
import type { FakeOpenAiServer } from "../src/openclaw/testing/fake-openai.ts";
import { startFakeOpenAi } from "../src/openclaw/testing/fake-openai.ts";
import type { GatewayProcess } from "../src/openclaw/testing/gateway-process.ts";
import { startGateway, waitForJson } from "../src/openclaw/testing/gateway-process.ts";
import { validateOpenclawConfig } from "../src/openclaw/testing/validate-config.ts";
import { RUNTIME_DEFAULT_VERSION } from "../src/openclaw/version.ts";

// The real OpenClaw runtime (the pinned npm version, installed by our launcher into the project cache: the first run
// needs the npm registry and ~1 minute), booted with each config shape buildOpenclawRuntime produces. Gateways boot
// one after another: a boot takes 8–20 s of both cores. Not covered here: a live model provider or Telegram (no
// outside network), and the container image (see openclaw-entrypoint.test.ts).

const BOOT_TIMEOUT_MS = 90_000;
const reply = "Hello from the fake model.";
const platformKey = `agm_${randomBytes(24).toString("base64url")}`;

let command: RuntimeCommand;
let fakeModel: FakeOpenAiServer;
let workRoot: string;
const running: GatewayProcess[] = [];

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "openclaw-runtime-test-"));
  fakeModel = await startFakeOpenAi({ apiKey: platformKey, models: ["test-model"], reply });
  const steps: string[] = [];
  const started = Date.now();
  command = await createOpenclawLauncher({ cacheDir: runtimeCacheDir() }).prepare(RUNTIME_DEFAULT_VERSION, {
    onProgress: (step, message) => {
      steps.push(step);
      if (step !== "runtime.install.output") console.info(`[launcher] ${step}: ${message}`);
    },
  });
  console.info(`[launcher] prepare() took ${Date.now() - started} ms (${steps.at(-1)})`);
}, 600_000);

afterEach(async () => {
  // A failed test must not leave its gateway (≈1 GB) running under the next one.
  await Promise.all(running.splice(0).map((gateway) => gateway.stop(5_000)));
});

afterAll(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.stop(5_000)));
  await fakeModel?.close();
  if (workRoot) await rm(workRoot, { recursive: true, force: true });
});

function gatewayToken(): string {
  return randomBytes(32).toString("base64url");
}

function platformInput(token: string): OpenclawRuntimeInput {
  return {
    agentId: "agt_runtime_test",
    gatewayToken: token,
    bind: "loopback",
    model: {
      provider: "platform",
      model: "test-model",
      platform: {
        baseUrl: fakeModel.baseUrl,
        apiKey: platformKey,
        models: [{ id: "test-model", contextWindow: 128_000, maxTokens: 4_096, cost: { input: 0.5, output: 1.5 } }],
      },
    },
    memoryMb: 2048,
  };
}

function byo(provider: "openai" | "anthropic" | "openrouter" | "gemini", model: string): OpenclawRuntimeInput {
  return {
    agentId: "agt_runtime_test",
    gatewayToken: gatewayToken(),
    bind: "loopback",
    model: { provider, model, apiKey: `sk-test-${randomBytes(16).toString("hex")}` },
  };
}

async function boot(name: string, input: OpenclawRuntimeInput): Promise<GatewayProcess> {
  const started = Date.now();
  const gateway = await startGateway({
    command,
    runtime: buildOpenclawRuntime(input),
    root: join(workRoot, name),
  });
  running.push(gateway);
  const failure = (error: unknown) =>
    new Error(`${String(error)}\n--- gateway output ---\n${gateway.output().slice(-4000)}`);
  const live = await waitForJson(`${gateway.baseUrl}/healthz`, (status) => status === 200, {
    timeoutMs: BOOT_TIMEOUT_MS,
    exited: gateway.exited,
  }).catch((error: unknown) => {
    throw failure(error);
  });
  expect(live).toMatchObject({ ok: true, status: "live" });
  const liveMs = Date.now() - started;
  const ready = await waitForJson(`${gateway.baseUrl}/readyz`, (status) => status === 200, {
    timeoutMs: 30_000,
    exited: gateway.exited,
  }).catch((error: unknown) => {
    throw failure(error);
  });
  expect(ready).toMatchObject({ ready: true, failing: [] });
  console.info(`[${name}] /healthz after ${liveMs} ms, /readyz after ${Date.now() - started} ms`);
  return gateway;
}

async function stop(gateway: GatewayProcess): Promise<void> {
  const started = Date.now();
  await gateway.stop(15_000);
  running.splice(running.indexOf(gateway), 1);
  console.info(`stopped in ${Date.now() - started} ms`);
}

async function chat(gateway: GatewayProcess, token: string | undefined, stream: boolean): Promise<Response> {
  return fetch(`${gateway.baseUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      model: "openclaw/default",
      messages: [{ role: "user", content: "Say hello." }],
      stream,
      user: "runtime-test",
    }),
    signal: AbortSignal.timeout(60_000),
  });
}

describe("the real OpenClaw runtime with generated configs", () => {
  it("the launcher answers the cached runtime's command: its Node first on PATH, the gateway on loopback", () => {
    const entry = join(
      runtimeCacheDir(),
      "openclaw",
      RUNTIME_DEFAULT_VERSION,
      "node_modules",
      "openclaw",
      "openclaw.mjs",
    );
    expect(command.args(20_000)).toEqual([entry, "gateway", "--bind", "loopback", "--port", "20000"]);
    expect(command.env?.PATH?.split(":")[0]).toBe(dirname(command.command));
    expect(() => command.args(70_000)).toThrow(RangeError);
  });

  it("platform provider: boots, answers chat completions through the platform model proxy, keeps secrets out of the file", async () => {
    const token = gatewayToken();
    const gateway = await boot("platform", platformInput(token));

    const denied = await chat(gateway, undefined, false);
    expect(denied.status).toBe(401);

    const answered = await chat(gateway, token, false);
    expect(answered.status).toBe(200);
    const completion = (await answered.json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]?.message.content).toBe(reply);

    const streamed = await chat(gateway, token, true);
    expect(streamed.status).toBe(200);
    const events = (await streamed.text())
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
      .map((line) => JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] });
    expect(events.map((event) => event.choices[0]?.delta?.content ?? "").join("")).toBe(reply);

    // The runtime reached our model server with the per-agent key, asking for the configured model.
    const calls = fakeModel.completions();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((call) => (call.body as { model?: string }).model === "test-model")).toBe(true);
    expect(fakeModel.requests.filter((request) => !request.authorized)).toEqual([]);

    // Secrets reached the runtime through its environment only; `${OPENCLAW_STATE_DIR}` was substituted.
    const file = await readFile(join(gateway.stateDir, "openclaw.json"), "utf8");
    expect(file).not.toContain(token);
    expect(file).not.toContain(platformKey);
    expect(existsSync(join(gateway.stateDir, "logs", "openclaw.log"))).toBe(true);
    await stop(gateway);
  }, 150_000);

  it("bring-your-own OpenAI key: boots and is ready", async () => {
    const input = byo("openai", "gpt-4.1-mini");
    const gateway = await boot("openai", input);
    const models = await fetch(`${gateway.baseUrl}/v1/models`, {
      headers: { authorization: `Bearer ${input.gatewayToken}` },
    });
    expect(models.status).toBe(200);
    await stop(gateway);
  }, 120_000);

  it("with a Telegram bot: the channel config is accepted and the gateway is ready", async () => {
    const gateway = await boot("telegram", {
      ...platformInput(gatewayToken()),
      channels: { telegramBotToken: `123456789:${randomBytes(26).toString("base64url")}` },
    });
    const file = await readFile(join(gateway.stateDir, "openclaw.json"), "utf8");
    expect(JSON.parse(file)).toMatchObject({ channels: { telegram: { enabled: true, dmPolicy: "pairing" } } });
    await stop(gateway);
  }, 120_000);

  it("every other shape passes the runtime's own strict validation (openclaw config validate)", async () => {
    const shapes: Record<string, OpenclawRuntimeInput> = {
      anthropic: byo("anthropic", "claude-sonnet-4-5"),
      openrouter: byo("openrouter", "anthropic/claude-sonnet-4"),
      gemini: byo("gemini", "gemini-2.5-flash"),
      "platform in a container with several models, origins and a heap cap": {
        ...platformInput(gatewayToken()),
        bind: "lan",
        model: {
          provider: "platform",
          model: "vision",
          platform: {
            baseUrl: "https://models.agentbot.example/v1",
            apiKey: platformKey,
            models: [
              { id: "small", contextWindow: 128_000, maxTokens: 8_192, cost: { input: 0.15, output: 0.6 } },
              {
                id: "vision",
                name: "Vision",
                contextWindow: 200_000,
                maxTokens: 16_000,
                cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
                input: ["text", "image"],
                reasoning: true,
              },
            ],
          },
        },
        controlUiAllowedOrigins: ["https://app.agentbot.example", "http://localhost:3000"],
        memoryMb: 4096,
      },
      "openai with telegram": {
        ...byo("openai", "gpt-4.1-mini"),
        channels: { telegramBotToken: `123456789:${randomBytes(26).toString("base64url")}` },
      },
    };
    for (const [name, input] of Object.entries(shapes)) {
      const result = await validateOpenclawConfig(command, buildOpenclawRuntime(input), join(workRoot, "validate"));
      expect({ name, ...result }).toEqual({ name, valid: true, issues: [] });
    }
    // And the check itself can fail.
    const broken = buildOpenclawRuntime(byo("openai", "gpt-4.1-mini"));
    const config = JSON.parse(broken.openclawConfig) as { tools: Record<string, unknown> };
    config.tools.notARealKey = 1;
    const refused = await validateOpenclawConfig(
      command,
      { ...broken, openclawConfig: JSON.stringify(config) },
      join(workRoot, "validate"),
    );
    expect(refused.valid).toBe(false);
    expect(JSON.stringify(refused.issues)).toContain("notARealKey");
  }, 120_000);

  it("strict schema: the same config plus an unknown key makes the runtime exit with 78", async () => {
    const runtime = buildOpenclawRuntime(platformInput(gatewayToken()));
    const config = JSON.parse(runtime.openclawConfig) as { gateway: Record<string, unknown> };
    config.gateway.notARealKey = true;
    const gateway = await startGateway({
      command,
      runtime: { ...runtime, openclawConfig: JSON.stringify(config) },
      root: join(workRoot, "strict"),
    });
    running.push(gateway);
    const code = await Promise.race([
      gateway.exited,
      new Promise<string>((resolveTimeout) => setTimeout(() => resolveTimeout("still running"), 90_000)),
    ]);
    expect(code, gateway.output().slice(-2000)).toBe(78);
    expect(gateway.output()).toContain("notARealKey");
    await stop(gateway);
  }, 120_000);
});
