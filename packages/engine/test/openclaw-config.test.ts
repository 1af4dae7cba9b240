import { describe, expect, it } from "vitest";
import { EngineError } from "../src/engine-driver.ts";
import type { OpenclawRuntimeInput } from "../src/openclaw/config.ts";
import { buildOpenclawRuntime } from "../src/openclaw/config.ts";

// What buildOpenclawRuntime produces and refuses. That the runtime itself accepts these documents is proven by
// booting it (openclaw-runtime.test.ts); here: the shape, where each secret goes, and the errors.

const gatewayToken = "gw_0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
const platformToken = "agm_platform-scoped-token-123456";

const platform: OpenclawRuntimeInput = {
  agentId: "agt_config_test",
  gatewayToken,
  bind: "lan",
  model: {
    provider: "platform",
    model: "small",
    platform: {
      baseUrl: "https://models.agentbot.example/v1/",
      apiKey: platformToken,
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
};

type Config = {
  gateway: Record<string, unknown>;
  models?: { providers: Record<string, Record<string, unknown>> };
  agents: { defaults: { model: { primary: string }; utilityModel: string } };
  channels?: Record<string, unknown>;
};

function build(input: OpenclawRuntimeInput) {
  const runtime = buildOpenclawRuntime(input);
  return { ...runtime, config: JSON.parse(runtime.openclawConfig) as Config };
}

function failure(input: unknown): EngineError {
  try {
    buildOpenclawRuntime(input as OpenclawRuntimeInput);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("invalid_config");
    return error as EngineError;
  }
  throw new Error("expected buildOpenclawRuntime to throw");
}

describe("buildOpenclawRuntime", () => {
  it("platform provider: the proxy as an OpenAI-compatible provider, its token only in env", () => {
    const { config, env, openclawConfig } = build(platform);
    expect(config.gateway).toEqual({
      mode: "local",
      bind: "lan",
      auth: { mode: "token" },
      http: { endpoints: { chatCompletions: { enabled: true } } },
    });
    expect(config.models?.providers.agentbot).toEqual({
      baseUrl: "https://models.agentbot.example/v1",
      apiKey: "${AGENTBOT_MODEL_TOKEN}",
      api: "openai-completions",
      models: [
        {
          id: "small",
          name: "small",
          input: ["text"],
          reasoning: false,
          contextWindow: 128_000,
          maxTokens: 8_192,
          cost: { input: 0.15, output: 0.6, cacheRead: 0, cacheWrite: 0 },
        },
        {
          id: "vision",
          name: "Vision",
          input: ["text", "image"],
          reasoning: true,
          contextWindow: 200_000,
          maxTokens: 16_000,
          cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
        },
      ],
    });
    expect(config.agents.defaults.model.primary).toBe("agentbot/small");
    expect(config.agents.defaults.utilityModel).toBe("agentbot/small");
    expect(env).toEqual({
      OPENCLAW_GATEWAY_TOKEN: gatewayToken,
      AGENTBOT_MODEL_TOKEN: platformToken,
      OPENCLAW_SKIP_CHANNELS: "1",
      OPENCLAW_NO_RESPAWN: "1",
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    });
    expect(openclawConfig).not.toContain(gatewayToken);
    expect(openclawConfig).not.toContain(platformToken);
  });

  it("safety defaults: no shell commands, loop detection, no background model spend, per-agent log file", () => {
    const { config } = build(platform);
    expect(config).toMatchObject({
      tools: {
        exec: { host: "gateway", mode: "ask", strictInlineEval: true, safeBins: [] },
        loopDetection: { enabled: true },
      },
      agents: { defaults: { heartbeat: { every: "0m" } } },
      plugins: { entries: { "memory-core": { config: { dreaming: { enabled: false } } } } },
      logging: { file: "${OPENCLAW_STATE_DIR}/logs/openclaw.log" },
    });
  });

  it.each([
    ["openai", "gpt-4.1-mini", "openai", "openai/gpt-4.1-mini", "OPENAI_API_KEY"],
    ["anthropic", "claude-sonnet-4-5", "anthropic", "anthropic/claude-sonnet-4-5", "ANTHROPIC_API_KEY"],
    [
      "openrouter",
      "anthropic/claude-sonnet-4",
      "openrouter",
      "openrouter/anthropic/claude-sonnet-4",
      "OPENROUTER_API_KEY",
    ],
    ["gemini", "gemini-2.5-flash", "google", "google/gemini-2.5-flash", "GEMINI_API_KEY"],
    ["openai", "openai/gpt-4.1", "openai", "openai/gpt-4.1", "OPENAI_API_KEY"],
  ] as const)("bring your own %s key (%s)", (provider, model, providerId, ref, variable) => {
    const apiKey = "sk-customer-owned-key-123";
    const { config, env, openclawConfig } = build({
      agentId: "agt_config_test",
      gatewayToken,
      bind: "loopback",
      model: { provider, model, apiKey },
    });
    expect(config.agents.defaults.model.primary).toBe(ref);
    expect(env[variable]).toBe(apiKey);
    expect(env.AGENTBOT_MODEL_TOKEN).toBeUndefined();
    // Pinned to OpenClaw's own agent runtime, so nothing (the Codex harness) is downloaded at boot.
    expect(config.models).toEqual({ providers: { [providerId]: { agentRuntime: { id: "openclaw" } } } });
    expect(openclawConfig).not.toContain(apiKey);
  });

  it("telegram: the channel with pairing, its token in env; without channels OPENCLAW_SKIP_CHANNELS", () => {
    const botToken = "123456789:AAExampleExampleExampleExample_-x";
    const { config, env, openclawConfig } = build({ ...platform, channels: { telegramBotToken: botToken } });
    expect(config.channels).toEqual({
      telegram: { enabled: true, botToken: "${TELEGRAM_BOT_TOKEN}", dmPolicy: "pairing" },
    });
    expect(env.TELEGRAM_BOT_TOKEN).toBe(botToken);
    expect(env.OPENCLAW_SKIP_CHANNELS).toBeUndefined();
    expect(openclawConfig).not.toContain(botToken);
  });

  it("Control UI origins and the heap cap from the plan's memory", () => {
    const { config, env } = build({
      ...platform,
      controlUiAllowedOrigins: ["https://app.agentbot.example", "http://localhost:3000/"],
      memoryMb: 4096,
    });
    expect(config.gateway.controlUi).toEqual({
      allowedOrigins: ["https://app.agentbot.example", "http://localhost:3000"],
    });
    expect(env.NODE_OPTIONS).toBe("--max-old-space-size=3072");
  });

  it("errors name each bad field and never contain a secret", () => {
    const error = failure({
      ...platform,
      gatewayToken: "short-secret-token",
      model: { provider: "openai", model: "gpt-4.1", apiKey: "has a space in it" },
      controlUiAllowedOrigins: ["https://app.example/path"],
      memoryMb: 512,
    });
    expect(error.message).toContain("agt_config_test");
    expect(error.message).toContain("gatewayToken");
    expect(error.message).toContain("model.apiKey");
    expect(error.message).toContain("controlUiAllowedOrigins.0");
    expect(error.message).toContain("memoryMb");
    expect(error.message).not.toContain("short-secret-token");
    expect(error.message).not.toContain("has a space");
  });

  it("refuses inconsistent model settings", () => {
    expect(failure({ ...platform, model: { provider: "platform", model: "small" } }).message).toContain(
      "model.platform: required for the platform provider",
    );
    expect(failure({ ...platform, model: { ...platform.model, model: "not-listed" } }).message).toContain(
      "model.model: not one of model.platform.models",
    );
    expect(failure({ ...platform, model: { provider: "anthropic", model: "claude" } }).message).toContain(
      "model.apiKey: required for anthropic",
    );
    expect(
      failure({ ...platform, model: { ...platform.model, provider: "openai", apiKey: "sk-customer-owned" } }).message,
    ).toContain("model.platform: only for the platform provider");
    expect(failure({ ...platform, model: { ...platform.model, model: "../etc" } }).message).toContain("model.model");
    expect(failure({ ...platform, surprise: true }).message).toContain("surprise");
    expect(failure({ ...platform, channels: { telegramBotToken: "nope" } }).message).toContain(
      "channels.telegramBotToken",
    );
  });
});
