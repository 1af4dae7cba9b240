/**
 * How a Railway service is tied to its agent: its name, `agentbot-<spec.name>.<agentId>`. The name is what Railway
 * lists cheaply (one request for a whole page of services), so list() and idempotent create can map services to agents
 * without reading every service's variables. `spec.name` is DNS-safe (no dots), so the first dot after the prefix
 * separates the agent id. Services whose name lacks the prefix are not ours (a project may hold other services) and
 * are never listed; `agentbot-…` services without an agent id are listed with agentId null (orphans for the reconciler).
 */
export const SERVICE_NAME_PREFIX = "agentbot-";

export function serviceNameFor(spec: { readonly name: string; readonly agentId: string }): string {
  return `${SERVICE_NAME_PREFIX}${spec.name}.${spec.agentId}`;
}

export function isAgentbotServiceName(name: string): boolean {
  return name.startsWith(SERVICE_NAME_PREFIX);
}

/** The agent id in an agentbot service's name, or null when it carries none. */
export function agentIdFromServiceName(name: string): string | null {
  if (!isAgentbotServiceName(name)) return null;
  const dot = name.indexOf(".", SERVICE_NAME_PREFIX.length);
  if (dot === -1) return null;
  const agentId = name.slice(dot + 1);
  return agentId === "" ? null : agentId;
}
