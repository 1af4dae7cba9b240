import { createHmac } from "node:crypto";
import type { SecretBox } from "@agentbot/secrets";

// Contexts bind each sealed value to its agent and field (see @agentbot/secrets).
export const gatewayTokenContext = (agentId: string) => `${agentId}:gateway_token`;
export const providerKeyContext = (agentId: string) => `${agentId}:provider_key`;
export const channelSecretsContext = (agentId: string) => `${agentId}:channel_secrets`;

export interface ChannelSecrets {
  readonly telegramBotToken?: string;
}

interface SealedAgentSecrets {
  readonly id: string;
  readonly gatewayTokenCiphertext: string;
  readonly providerKeyCiphertext: string | null;
  readonly channelSecretsCiphertext: string | null;
}

export interface AgentSecrets {
  readonly gatewayToken: string;
  readonly providerApiKey: string | null;
  readonly channels: ChannelSecrets;
}

export function openAgentSecrets(secrets: SecretBox, agent: SealedAgentSecrets): AgentSecrets {
  return {
    gatewayToken: secrets.open(agent.gatewayTokenCiphertext, gatewayTokenContext(agent.id)),
    providerApiKey: agent.providerKeyCiphertext
      ? secrets.open(agent.providerKeyCiphertext, providerKeyContext(agent.id))
      : null,
    channels: agent.channelSecretsCiphertext
      ? (JSON.parse(secrets.open(agent.channelSecretsCiphertext, channelSecretsContext(agent.id))) as ChannelSecrets)
      : {},
  };
}

/**
 * The token an agent presents to the platform's model provider: an HMAC of its id, so the provider (metering proxy)
 * can verify it without a lookup, and it is worthless for any other agent or purpose. Never the platform's own key.
 */
export function platformModelToken(tokenSecret: string, agentId: string): string {
  return `agm_${createHmac("sha256", tokenSecret).update(`model:${agentId}`).digest("base64url")}`;
}

/** Every secret value of an agent, for redacting its logs. */
export function secretValues(secrets: AgentSecrets, extra: readonly string[] = []): string[] {
  return [secrets.gatewayToken, secrets.providerApiKey, secrets.channels.telegramBotToken, ...extra].filter(
    (value): value is string => typeof value === "string" && value.length >= 8,
  );
}
