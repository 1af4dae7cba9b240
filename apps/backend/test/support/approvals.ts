import { randomUUID } from "node:crypto";
import { newId } from "@agentbot/db";
import { ExecApprovalRequest } from "@agentbot/openclaw";
import type { ExecApprovalDecision } from "@agentbot/openclaw";
import { gatewayTokenContext } from "../../src/agents/agent-secrets.ts";
import type { ApprovalResolver } from "../../src/approvals/approval-resolver.ts";
import type { AgentsBackend } from "./agents-backend.ts";

/** A running agent row of `userId` (no runtime behind it: approvals only need the record). */
export async function createApprovalAgent(
  backend: AgentsBackend,
  userId: string,
  options: { readonly name?: string; readonly execPolicy?: "strict" | "balanced" | "permissive" } = {},
): Promise<{ id: string; name: string }> {
  const id = newId("agent");
  const name = options.name ?? `agent-${id.slice(-6)}`;
  await backend.db.agent.create({
    data: {
      id,
      userId,
      name,
      status: "running",
      engine: "local",
      runtimeVersion: "2026.9.6",
      plan: "label",
      cpuMillicores: 1000,
      memoryMb: 2048,
      modelProvider: "platform",
      model: "m",
      execPolicy: options.execPolicy ?? "balanced",
      gatewayTokenCiphertext: backend.services.secrets.seal("x".repeat(43), gatewayTokenContext(id)),
    },
  });
  return { id, name };
}

/**
 * An exec approval as the runtime sends it (`exec.approval.requested` payload), parsed by the operator package's own
 * schema, exactly as the approver receives it.
 */
export function execRequest(
  command: string,
  options: {
    readonly id?: string;
    readonly sessionKey?: string;
    readonly allowedDecisions?: readonly string[];
    readonly expiresInMs?: number;
    readonly createdAtMs?: number;
  } = {},
): ExecApprovalRequest {
  return ExecApprovalRequest.parse({
    id: options.id ?? randomUUID(),
    request: {
      command,
      cwd: "/data/workspace",
      agentId: "main",
      sessionKey: options.sessionKey ?? "agent:main:openai-user:usr_1",
      host: "gateway",
      commandAnalysis: { riskKinds: ["shell-wrapper"] },
      allowedDecisions: options.allowedDecisions ?? ["allow-once", "allow-always", "deny"],
    },
    createdAtMs: options.createdAtMs ?? Date.now(),
    expiresAtMs: Date.now() + (options.expiresInMs ?? 30 * 60_000),
  });
}

/**
 * The runtime stand-in: the resolver port is the boundary to OpenClaw (an outside process), so tests record what
 * the platform would send it and answer as the runtime would. Nothing of our own code is replaced by it.
 */
export function runtimeStandIn(answer: "resolved" | "already_resolved" | "unavailable" = "resolved") {
  const resolved: { agentId: string; runtimeRequestId: string; decision: ExecApprovalDecision }[] = [];
  const removed: { agentId: string; pattern: string }[] = [];
  const resolver: ApprovalResolver = {
    resolve: (input) => {
      resolved.push({ ...input });
      return Promise.resolve(answer);
    },
    removeAllowlistEntry: (input) => {
      removed.push({ ...input });
      return Promise.resolve(answer === "unavailable" ? "unavailable" : "removed");
    },
  };
  return { resolver, resolved, removed };
}
