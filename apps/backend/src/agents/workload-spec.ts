import type { Prisma } from "@agentbot/db";
import { buildOpenclawRuntime } from "@agentbot/engine";
import type { EngineDriver, WorkloadSpec } from "@agentbot/engine";
import type { SecretBox } from "@agentbot/secrets";
import type { AgentConfig } from "./agent-services.ts";
import { openAgentSecrets, platformModelToken } from "./agent-secrets.ts";

type AgentForSpec = Prisma.AgentGetPayload<object>;

/** A DNS-safe workload name: the agent's name plus the tail of its id (names are only unique per user). */
export function workloadName(agent: { readonly id: string; readonly name: string }): string {
  return `${agent.name.slice(0, 30)}-${agent.id.slice(-8)}`.toLowerCase();
}

/**
 * Everything the engine injects into an agent's runtime: the generated OpenClaw config and its environment (the
 * agent's own gateway token, its model provider settings, channel tokens). Built from the agent's record only;
 * nothing from the backend's environment is added, so no platform secret can reach a customer workload
 * (agents-secret-injection test).
 */
export function buildWorkloadSpec(
  agent: AgentForSpec,
  deps: { readonly secrets: SecretBox; readonly config: AgentConfig; readonly driver: EngineDriver },
): WorkloadSpec {
  const secrets = openAgentSecrets(deps.secrets, agent);
  const platformModel = deps.config.platformModel;
  const runtime = buildOpenclawRuntime({
    agentId: agent.id,
    gatewayToken: secrets.gatewayToken,
    bind: deps.driver.kind === "local" ? "loopback" : "lan",
    model:
      agent.modelProvider === "platform"
        ? {
            provider: "platform",
            model: agent.model,
            ...(platformModel
              ? {
                  platform: {
                    baseUrl: platformModel.baseUrl,
                    apiKey: platformModelToken(platformModel.tokenSecret, agent.id),
                    // The proxy decides what each model costs and meters it; the runtime only needs the id.
                    models: [
                      { id: agent.model, contextWindow: 128_000, maxTokens: 8_192, cost: { input: 0, output: 0 } },
                    ],
                  },
                }
              : {}),
          }
        : {
            provider: agent.modelProvider as "openai" | "anthropic" | "openrouter" | "gemini",
            model: agent.model,
            ...(secrets.providerApiKey ? { apiKey: secrets.providerApiKey } : {}),
          },
    channels: secrets.channels,
    controlUiAllowedOrigins: [...deps.config.controlUiOrigins],
    memoryMb: agent.memoryMb,
  });
  return {
    agentId: agent.id,
    name: workloadName(agent),
    runtimeVersion: agent.runtimeVersion,
    resources: { cpuMillicores: agent.cpuMillicores, memoryMb: agent.memoryMb },
    openclawConfig: runtime.openclawConfig,
    env: runtime.env,
  };
}
