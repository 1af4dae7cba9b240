import { z } from "zod";
import { EngineError } from "../engine-driver.ts";
import type { WorkloadSpec } from "../engine-driver.ts";

/**
 * Builds what one agent's OpenClaw runtime receives: the `openclaw.json` document and its environment (the
 * `openclawConfig` and `env` parts of a WorkloadSpec). OpenClaw's config schema is strict (an unknown key makes the
 * gateway exit with 78), so every key written here was checked against the pinned runtime (2026.9.6) by booting it
 * (test/openclaw-runtime.test.ts).
 *
 * Secrets never go into the config document: it holds `${VAR}` references that OpenClaw substitutes from its
 * environment at load time, and the values travel in `env` (which drivers inject as process environment or service
 * variables). So the config can be logged, diffed and stored as-is.
 */

/** Environment variable names the generated config refers to. */
export const OPENCLAW_ENV = {
  gatewayToken: "OPENCLAW_GATEWAY_TOKEN",
  /** The per-agent token for the platform's model proxy (models.providers.agentbot.apiKey). */
  platformModelToken: "AGENTBOT_MODEL_TOKEN",
  telegramBotToken: "TELEGRAM_BOT_TOKEN",
} as const;

/**
 * The exec policy every agent's config carries. The platform verifies it at every start (drift is an agent event,
 * then re-applied); nothing else may change it.
 */
export const EXEC_POLICY = { host: "gateway", mode: "ask", strictInlineEval: true, safeBins: [] } as const;

/** The provider id under `models.providers` for the platform's metered, OpenAI-compatible model proxy. */
export const PLATFORM_PROVIDER_ID = "agentbot";

/** Bring-your-own-key providers: OpenClaw's built-in provider id and the variable it reads the key from. */
const bringYourOwnProviders = {
  openai: { providerId: "openai", keyVariable: "OPENAI_API_KEY" },
  anthropic: { providerId: "anthropic", keyVariable: "ANTHROPIC_API_KEY" },
  openrouter: { providerId: "openrouter", keyVariable: "OPENROUTER_API_KEY" },
  gemini: { providerId: "google", keyVariable: "GEMINI_API_KEY" },
} as const;

const PrintableSecret = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(500, "must be at most 500 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

const ModelId = z
  .string()
  .min(1, "a model id is required")
  .max(200, "a model id must be at most 200 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, "letters, digits and . _ : / @ + - only");

const PlatformModel = z
  .object({
    id: ModelId,
    /** Shown in OpenClaw's model pickers; defaults to the id. */
    name: z.string().min(1).max(200).optional(),
    contextWindow: z.number().int().positive(),
    maxTokens: z.number().int().positive(),
    /** USD per million tokens; OpenClaw's usage/cost reports are only as right as these. */
    cost: z
      .object({
        input: z.number().nonnegative(),
        output: z.number().nonnegative(),
        cacheRead: z.number().nonnegative().default(0),
        cacheWrite: z.number().nonnegative().default(0),
      })
      .strict(),
    input: z
      .array(z.enum(["text", "image"]))
      .min(1)
      .default(["text"]),
    reasoning: z.boolean().default(false),
  })
  .strict();

const HttpUrl = z.url({ protocol: /^https?$/, error: "an http(s) URL" }).transform((url) => url.replace(/\/+$/, ""));

const Origin = z
  .url({ protocol: /^https?$/, error: "an http(s) origin such as https://app.example.com" })
  .refine((value) => new URL(value).origin === value.replace(/\/$/, ""), "an origin only (no path, query or fragment)")
  .transform((value) => new URL(value).origin);

export const OpenclawRuntimeInput = z
  .object({
    /** The agent's id; only used to name the agent in errors. */
    agentId: z.string().min(1).max(100),
    /** The gateway's admin token (>= 32 random bytes, e.g. base64url). */
    gatewayToken: z
      .string()
      .min(32, "must be at least 32 characters (use >= 32 random bytes)")
      .max(512, "must be at most 512 characters")
      .regex(/^[A-Za-z0-9._~+/=-]+$/, "must be a base64, base64url or hex string"),
    /** `loopback` for local processes, `lan` inside a container (the platform's proxy reaches it from outside). */
    bind: z.enum(["loopback", "lan"]),
    model: z
      .object({
        provider: z.enum(["platform", "openai", "anthropic", "openrouter", "gemini"]),
        model: ModelId,
        /** The customer's own key (bring your own); required for every provider except `platform`. */
        apiKey: PrintableSecret.optional(),
        /** The platform's model proxy; required for (and only for) the `platform` provider. */
        platform: z
          .object({
            baseUrl: HttpUrl,
            /** A narrowly scoped per-agent token for the proxy, never a platform secret. */
            apiKey: PrintableSecret,
            models: z.array(PlatformModel).min(1, "at least one platform model is required"),
          })
          .strict()
          .optional(),
      })
      .strict(),
    channels: z
      .object({
        telegramBotToken: z
          .string()
          .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "a Telegram bot token such as 123456:ABC…")
          .optional(),
      })
      .strict()
      .default({}),
    /** Browser origins allowed to open the Control UI (the platform's dashboard/proxy hosts). */
    controlUiAllowedOrigins: z.array(Origin).max(20).default([]),
    /** The plan's memory: caps the V8 heap at 75% of it (OpenClaw needs ~1.5–2 GB; 512 MB is too small). */
    memoryMb: z.number().int().min(1536, "must be at least 1536 (OpenClaw needs ~1.5–2 GB)").optional(),
  })
  .strict()
  .superRefine((value, context) => {
    const { model } = value;
    if (model.provider === "platform") {
      if (model.platform === undefined) {
        context.addIssue({
          code: "custom",
          path: ["model", "platform"],
          message: "required for the platform provider",
        });
      } else {
        const ids = model.platform.models.map((entry) => entry.id);
        if (new Set(ids).size !== ids.length) {
          context.addIssue({
            code: "custom",
            path: ["model", "platform", "models"],
            message: "model ids must be unique",
          });
        }
        if (!ids.includes(model.model)) {
          context.addIssue({ code: "custom", path: ["model", "model"], message: "not one of model.platform.models" });
        }
      }
      if (model.apiKey !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["model", "apiKey"],
          message: "not used with the platform provider (the platform token goes in model.platform.apiKey)",
        });
      }
    } else {
      if (model.apiKey === undefined) {
        context.addIssue({ code: "custom", path: ["model", "apiKey"], message: `required for ${model.provider}` });
      }
      if (model.platform !== undefined) {
        context.addIssue({ code: "custom", path: ["model", "platform"], message: "only for the platform provider" });
      }
    }
  });

export type OpenclawRuntimeInput = z.input<typeof OpenclawRuntimeInput>;
type ParsedInput = z.output<typeof OpenclawRuntimeInput>;

export type OpenclawRuntime = Pick<WorkloadSpec, "openclawConfig"> & { readonly env: Record<string, string> };

/**
 * The config and environment for one agent's runtime. Throws EngineError("invalid_config") naming every bad field
 * (never its value).
 */
export function buildOpenclawRuntime(input: OpenclawRuntimeInput): OpenclawRuntime {
  const parsed = OpenclawRuntimeInput.safeParse(input);
  if (!parsed.success) {
    const agent = typeof input?.agentId === "string" ? ` for agent ${input.agentId.slice(0, 100)}` : "";
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
    throw new EngineError("invalid_config", `invalid OpenClaw runtime settings${agent}: ${problems.join("; ")}`);
  }
  const value = parsed.data;
  const env: Record<string, string> = {
    [OPENCLAW_ENV.gatewayToken]: value.gatewayToken,
    // The driver (our process supervisor or the container platform) owns restarts, discovery and upgrades.
    OPENCLAW_NO_RESPAWN: "1",
    OPENCLAW_DISABLE_BONJOUR: "1",
    OPENCLAW_NO_AUTO_UPDATE: "1",
  };
  if (value.memoryMb !== undefined) env.NODE_OPTIONS = `--max-old-space-size=${Math.floor(value.memoryMb * 0.75)}`;

  const primaryModel = modelSection(value, env);
  const config: Record<string, unknown> = {
    gateway: {
      mode: "local",
      bind: value.bind,
      // The token itself comes from OPENCLAW_GATEWAY_TOKEN.
      auth: { mode: "token" },
      // The OpenAI-compatible API (off by default) is how the platform talks to the agent; it needs the gateway token.
      http: { endpoints: { chatCompletions: { enabled: true } } },
      ...(value.controlUiAllowedOrigins.length > 0
        ? { controlUi: { allowedOrigins: value.controlUiAllowedOrigins } }
        : {}),
    },
    // The default log path (/tmp/openclaw/…) is shared by every instance on a host; keep each agent's log in its state.
    logging: { file: "${OPENCLAW_STATE_DIR}/logs/openclaw.log" },
    tools: {
      // On a gateway host OpenClaw runs shell commands without asking by default. `ask` on the gateway host: a command
      // that is not on the agent's allowlist waits for an approver (the platform's operator connection, which
      // classifies it and asks the customer), and is denied when nobody answers (the host document's askFallback, which
      // the platform sets to deny at every start). Inline interpreter code (`python -c`, `node -e`) always asks, and
      // no "safe bins" run unasked: the only commands that run without a decision are ones the customer allowlisted.
      exec: EXEC_POLICY,
      // Off by default; a looping model made ~700 tool calls a minute.
      loopDetection: { enabled: true },
    },
    agents: {
      defaults: {
        model: { primary: primaryModel },
        // Utility tasks (titles, recaps) make their own model calls: keep them on the agent's chosen provider/model.
        utilityModel: primaryModel,
        // Both run the model in the background (spend nobody asked for): heartbeat every 30 min by default.
        heartbeat: { every: "0m" },
      },
    },
    plugins: { entries: { "memory-core": { config: { dreaming: { enabled: false } } } } },
  };

  if (value.model.provider === "platform" && value.model.platform !== undefined) {
    const { platform } = value.model;
    env[OPENCLAW_ENV.platformModelToken] = platform.apiKey;
    config.models = {
      providers: {
        [PLATFORM_PROVIDER_ID]: {
          baseUrl: platform.baseUrl,
          apiKey: `\${${OPENCLAW_ENV.platformModelToken}}`,
          api: "openai-completions",
          models: platform.models.map((entry) => ({
            id: entry.id,
            name: entry.name ?? entry.id,
            input: entry.input,
            reasoning: entry.reasoning,
            contextWindow: entry.contextWindow,
            maxTokens: entry.maxTokens,
            cost: entry.cost,
          })),
        },
      },
    };
  }

  if (value.model.provider !== "platform") {
    // With the agent runtime left to `auto`, an `openai/*` model may select the Codex harness, a plugin OpenClaw then
    // downloads from npm at boot (measured: ~75 s of retries without registry access). Pin OpenClaw's own runtime:
    // the same tool policy for every provider, and nothing fetched at start.
    config.models = {
      providers: { [bringYourOwnProviders[value.model.provider].providerId]: { agentRuntime: { id: "openclaw" } } },
    };
  }

  if (value.channels.telegramBotToken !== undefined) {
    env[OPENCLAW_ENV.telegramBotToken] = value.channels.telegramBotToken;
    config.channels = {
      telegram: { enabled: true, botToken: `\${${OPENCLAW_ENV.telegramBotToken}}`, dmPolicy: "pairing" },
    };
  } else {
    // No channel transports at all: nothing to poll, nothing to fail readiness.
    env.OPENCLAW_SKIP_CHANNELS = "1";
  }

  return { openclawConfig: JSON.stringify(config, null, 2), env };
}

/** The `provider/model` ref for the agent's model; puts a bring-your-own key into `env`. */
function modelSection(value: ParsedInput, env: Record<string, string>): string {
  const { provider, model, apiKey } = value.model;
  if (provider === "platform") return `${PLATFORM_PROVIDER_ID}/${model}`;
  const { providerId, keyVariable } = bringYourOwnProviders[provider];
  // Checked by the schema; repeated so the type system knows.
  if (apiKey === undefined) throw new EngineError("invalid_config", `model.apiKey: required for ${provider}`);
  env[keyVariable] = apiKey;
  return model.startsWith(`${providerId}/`) ? model : `${providerId}/${model}`;
}
