import { randomUUID } from "node:crypto";
import {
  AgentOperationAccepted,
  CreateAgentRequest,
  IdempotencyKey,
  ListAgentsResponse,
  ProvisionAgentRequest,
  idempotencyKeyHeader,
  toValidationIssues,
} from "@agentbot/contracts";
import { agentsBackend } from "../../../../server/agents-backend.ts";
import { answeringBackendErrors, toPublicIssues } from "../../../../server/agents-errors.ts";
import { validationErrorResponse } from "../../../../server/api-response.ts";
import { publicApiRoute } from "../../../../server/public-api.ts";

/** `GET /api/v1/agents` (scope `agents:read`): the caller's agents (deleted ones left out). */
export const GET = publicApiRoute({
  scope: "agents:read",
  response: ListAgentsResponse,
  handle: ({ principal }) =>
    answeringBackendErrors("GET /api/v1/agents", () => agentsBackend.listAgents(principal.user.id)),
});

/**
 * The request's Idempotency-Key, validated; without one, a fresh key, so the request is still safe to pass through
 * the backend's idempotent provisioning (it just cannot be retried safely by the caller).
 */
function idempotencyKeyOf(request: Request): { ok: true; key: string } | { ok: false; response: Response } {
  const header = request.headers.get(idempotencyKeyHeader);
  if (header === null) return { ok: true, key: `auto:${randomUUID()}` };
  const parsed = IdempotencyKey.safeParse(header.trim());
  if (parsed.success) return { ok: true, key: parsed.data };
  return {
    ok: false,
    response: validationErrorResponse(
      parsed.error.issues.map((issue) => ({
        path: "headers.idempotency-key",
        message: issue.message,
        code: issue.code,
      })),
    ),
  };
}

/**
 * `POST /api/v1/agents` (scope `agents:write`): creates an agent for the caller and queues its provisioning. 202 with
 * `{ agent, operation, created }`; refusals: 402 `subscription_required`, 403 `plan_limit_reached`, 409 `conflict`,
 * 429 `rate_limited` with Retry-After (the provisioning queue is full), 400 naming each bad field.
 */
export const POST = publicApiRoute({
  scope: "agents:write",
  body: CreateAgentRequest,
  response: AgentOperationAccepted,
  status: 202,
  handle: ({ principal, body, request }) => {
    const key = idempotencyKeyOf(request);
    if (!key.ok) return Promise.resolve(key.response);
    // The backend's own request schema also checks the rules that span fields (a provider key unless `platform`).
    const provision = ProvisionAgentRequest.safeParse({
      ...body,
      userId: principal.user.id,
      idempotencyKey: key.key,
    });
    if (!provision.success) {
      return Promise.resolve(
        validationErrorResponse(toPublicIssues(toValidationIssues("body", provision.error.issues))),
      );
    }
    return answeringBackendErrors("POST /api/v1/agents", () => agentsBackend.provisionAgent(provision.data));
  },
});
