import type { AgentActionRequest, OperationAccepted, OperationKind, ProvisionAgentRequest } from "@agentbot/contracts";
import { newId, UniqueViolationError, mapDbError } from "@agentbot/db";
import type { Tx } from "@agentbot/db";
import { getPlan, PlanId } from "@agentbot/plans";
import { randomToken } from "@agentbot/secrets";
import { HttpError } from "../http/http-error.ts";
import type { AgentServices } from "./agent-services.ts";
import { channelSecretsContext, gatewayTokenContext, providerKeyContext } from "./agent-secrets.ts";
import { agentWithActiveOperation, toAgentView, toOperationView } from "./agent-view.ts";
import { assertMayRunAgent } from "./run-gate.ts";
import { checkSubscription } from "./subscription-gate.ts";

/** 429: the user's queue is full; `Retry-After` says when to try again. */
export class QueueFullError extends HttpError {
  constructor(retryAfterSeconds: number, cap: number) {
    super(
      429,
      "rate_limited",
      `You already have ${cap} operations waiting for a deployment slot; try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
      { retryAfterSeconds },
    );
  }
}

const QUEUE_FULL_RETRY_AFTER_SECONDS = 30;

/** What the agent's status becomes the moment an operation is accepted (before a worker picks it up). */
const acceptedStatus: Record<OperationKind, string | null> = {
  provision: "queued",
  start: null,
  stop: null,
  restart: null,
  redeploy: null,
  delete: null,
};

async function assertQueueHasRoom(tx: Tx, services: AgentServices, userId: string) {
  const waiting = await tx.agentOperation.count({ where: { userId, status: "queued" } });
  if (waiting >= services.config.queuePerUserCap) {
    throw new QueueFullError(QUEUE_FULL_RETRY_AFTER_SECONDS, services.config.queuePerUserCap);
  }
}

/** Serializes a user's creates, so the plan limit and queue cap cannot be raced past by parallel requests. */
async function lockUser(tx: Tx, userId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`agents:user:${userId}`}, 0))`;
}

async function accepted(services: AgentServices, operationId: string, created: boolean): Promise<OperationAccepted> {
  const operation = await services.db.agentOperation.findUniqueOrThrow({ where: { id: operationId } });
  const agent = await services.db.agent.findUniqueOrThrow({
    where: { id: operation.agentId },
    ...agentWithActiveOperation,
  });
  return { agent: toAgentView(agent), operation: toOperationView(operation), created };
}

async function existingForKey(services: AgentServices, userId: string, idempotencyKey: string) {
  return services.db.agentOperation.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    include: { agent: { select: { name: true } } },
  });
}

/**
 * Steps 2–4 of the provisioning flow: subscription check (the one function billing fills in), the plan's agent
 * limit, the per-user queue cap, then the agent (status `queued`, secrets sealed) and its provision operation in one
 * transaction, and the durable job. The same idempotency key from the same user answers the same agent and
 * operation, however often it is sent.
 */
export async function provisionAgent(
  services: AgentServices,
  request: ProvisionAgentRequest,
): Promise<OperationAccepted> {
  const { db, secrets, config } = services;
  if (request.modelProvider === "platform" && config.platformModel === null) {
    throw new HttpError(
      400,
      "validation_failed",
      "The platform model provider is not configured here; bring your own key.",
      {
        issues: [
          {
            path: "body.modelProvider",
            message: "the platform provider is not available on this installation (PLATFORM_MODEL_BASE_URL is not set)",
            code: "unavailable",
          },
        ],
      },
    );
  }
  const replay = await existingForKey(services, request.userId, request.idempotencyKey);
  if (replay) return replayed(services, replay, request.name);

  let outcome: { operationId: string; created: boolean };
  try {
    outcome = await db.$transaction(async (tx) => {
      await lockUser(tx, request.userId);
      const again = await tx.agentOperation.findUnique({
        where: { userId_idempotencyKey: { userId: request.userId, idempotencyKey: request.idempotencyKey } },
      });
      if (again) return { operationId: again.id, created: false };
      const decision = await checkSubscription(tx, request.userId);
      if (!decision.allowed) {
        if (decision.reason === "no_user") throw new HttpError(404, "not_found", "No such user.");
        throw new HttpError(402, "subscription_required", decision.message);
      }
      const plan = decision.plan;
      const existing = await tx.agent.findMany({
        where: { userId: request.userId, deletedAt: null },
        select: { name: true },
        orderBy: { createdAt: "asc" },
      });
      if (plan.maxAgents !== null && existing.length >= plan.maxAgents) {
        const allowed = `${plan.maxAgents} agent${plan.maxAgents === 1 ? "" : "s"}`;
        const excess = existing.length - plan.maxAgents + 1;
        throw new HttpError(
          403,
          "plan_limit_reached",
          existing.length === plan.maxAgents
            ? `Your ${plan.name} plan allows ${allowed}; delete one or upgrade your plan.`
            : `Your ${plan.name} plan allows ${allowed} and you have ${existing.length} (${existing.map((agent) => agent.name).join(", ")}): delete ${excess} of them to create another, or upgrade your plan.`,
          { plan: plan.id, maxAgents: plan.maxAgents, agents: existing.map((agent) => agent.name) },
        );
      }
      const sameName = await tx.agent.count({ where: { userId: request.userId, name: request.name, deletedAt: null } });
      if (sameName > 0) {
        throw new HttpError(409, "conflict", `You already have an agent named "${request.name}".`, {
          issues: [{ path: "body.name", message: "already used by another of your agents", code: "duplicate" }],
        });
      }
      await assertQueueHasRoom(tx, services, request.userId);

      const agentId = newId("agent");
      const operation = newId("agentOperation");
      const channelSecrets = request.channels.telegramBotToken
        ? { telegramBotToken: request.channels.telegramBotToken }
        : null;
      await tx.agent.create({
        data: {
          id: agentId,
          userId: request.userId,
          name: request.name,
          status: "queued",
          engine: services.driver.kind,
          runtimeVersion: request.runtimeVersion ?? config.defaultRuntimeVersion,
          plan: plan.id,
          cpuMillicores: plan.cpuMillicores,
          memoryMb: plan.memoryMb,
          modelProvider: request.modelProvider,
          model: request.model,
          execPolicy: request.execPolicy ?? "balanced",
          gatewayTokenCiphertext: secrets.seal(randomToken(32), gatewayTokenContext(agentId)),
          providerKeyCiphertext: request.providerApiKey
            ? secrets.seal(request.providerApiKey, providerKeyContext(agentId))
            : null,
          channelSecretsCiphertext: channelSecrets
            ? secrets.seal(JSON.stringify(channelSecrets), channelSecretsContext(agentId))
            : null,
          activeOperationId: operation,
        },
      });
      await tx.agentOperation.create({
        data: {
          id: operation,
          agentId,
          userId: request.userId,
          kind: "provision",
          status: "queued",
          idempotencyKey: request.idempotencyKey,
          deadlineAt: new Date(Date.now() + config.operationDeadlineMs),
          params: { bypassedSubscriptionGate: decision.bypassed },
        },
      });
      return { operationId: operation, created: true };
    });
  } catch (error) {
    // Two requests with one key racing past the first lookup: the unique index answers; return the winner's.
    const mapped = mapDbError(error);
    if (mapped instanceof UniqueViolationError) {
      const winner = await existingForKey(services, request.userId, request.idempotencyKey);
      if (winner) return replayed(services, winner, request.name);
    }
    throw error;
  }
  if (!outcome.created) {
    const replay = await existingForKey(services, request.userId, request.idempotencyKey);
    if (replay) return replayed(services, replay, request.name);
  }
  return enqueue(services, outcome.operationId, "Queued for provisioning");
}

async function replayed(
  services: AgentServices,
  operation: { id: string; agent: { name: string } },
  requestedName: string,
): Promise<OperationAccepted> {
  if (operation.agent.name !== requestedName) {
    throw new HttpError(
      409,
      "conflict",
      "This idempotency key was already used for a different request (another agent name); use a new key.",
    );
  }
  const current = await services.db.agentOperation.findUniqueOrThrow({ where: { id: operation.id } });
  // A retry of a request whose job may never have been sent (the process died after the commit): send it now. A
  // duplicate job is harmless, the operation's lease lets only one run.
  if (current.status === "queued") await services.queue.send(operation.id);
  return accepted(services, operation.id, false);
}

/** Stop and delete jump ahead of queued deploys in the job queue (they free resources; deploys may wait). */
const URGENT_KINDS: ReadonlySet<string> = new Set(["stop", "delete"]);

async function enqueue(
  services: AgentServices,
  operationId: string,
  message: string,
  data?: { readonly reason: string },
) {
  const { agentId, kind } = await services.db.agentOperation.findUniqueOrThrow({
    where: { id: operationId },
    select: { agentId: true, kind: true },
  });
  const result = await accepted(services, operationId, true);
  // Run it here at once when a worker is free; the durable job goes out alongside (a duplicate is harmless: the
  // operation's lease lets one run). Should the process die before the job is sent, the reconciler finds the queued
  // operation without a job and sends it.
  // The queued note goes first, so it lands before anything the run records (one ordered chain per agent).
  services.timeline.note({ agentId, operationId, type: "operation.queued", message, ...(data ? { data } : {}) });
  services.dispatch(operationId);
  await services.queue.send(operationId, { priority: URGENT_KINDS.has(kind) ? 10 : 0 });
  return result;
}

/**
 * Start/stop/restart/redeploy/delete: one operation per agent at a time. The claim is a conditional UPDATE of
 * `active_operation_id` (NULL → this operation) in the same transaction as the operation row, so of two
 * concurrent requests exactly one wins and the other gets 409. Another user's agent answers 404.
 */
export async function requestAgentOperation(
  services: AgentServices,
  input: {
    userId: string;
    agentId: string;
    action: AgentActionRequest | { action: "delete" };
    /**
     * Billing suspending or resuming the agent (not the person): skips the billing run gate and says why on the
     * timeline. Absent: the person asked.
     */
    billing?: { readonly reason: "billing_suspended" | "billing_resumed"; readonly message: string };
  },
): Promise<OperationAccepted> {
  const { db, config } = services;
  const kind = input.action.action;
  const operationId = newId("agentOperation");
  let resources: { plan: string; cpuMillicores: number; memoryMb: number } | null = null;
  await db.$transaction(async (tx) => {
    const agent = await tx.agent.findFirst({ where: { id: input.agentId, userId: input.userId } });
    if (!agent || agent.status === "deleted") throw new HttpError(404, "not_found", "No such agent.");
    if (input.billing === undefined && (kind === "start" || kind === "restart" || kind === "redeploy")) {
      const inactive = agent.status === "stopped" || agent.status === "failed";
      await assertMayRunAgent(tx, input.userId, agent.id, kind === "start" || inactive);
    }
    // A redeploy takes the resources of the plan in force (an upgrade's one-click "get the new resources").
    if (kind === "redeploy") resources = await planResourcesFor(tx, input.userId, agent);
    if (kind !== "delete" && kind !== "stop") await assertQueueHasRoom(tx, services, input.userId);
    // Claim the agent first: the row lock serializes concurrent requests here (inserting the operation first would
    // take a key-share lock on the agent through the foreign key, and two such transactions deadlock).
    const claimed = await tx.agent.updateMany({
      where: { id: agent.id, activeOperationId: null },
      data: { activeOperationId: operationId, ...(acceptedStatus[kind] ? { status: acceptedStatus[kind] } : {}) },
    });
    if (claimed.count === 0) {
      throw new HttpError(409, "conflict", "Another operation is in progress on this agent; wait for it to finish.");
    }
    await tx.agentOperation.create({
      data: {
        id: operationId,
        agentId: agent.id,
        userId: input.userId,
        kind,
        status: "queued",
        deadlineAt: new Date(Date.now() + config.operationDeadlineMs),
        params: {
          ...(input.action.action === "redeploy" && input.action.runtimeVersion
            ? { runtimeVersion: input.action.runtimeVersion }
            : {}),
          ...(resources === null ? {} : { resources }),
          ...(input.billing === undefined ? {} : { reason: input.billing.reason }),
        },
      },
    });
  });
  const requested = `${kind[0]!.toUpperCase()}${kind.slice(1)} requested`;
  return enqueue(
    services,
    operationId,
    input.billing ? `${requested} by billing: ${input.billing.message}` : requested,
    input.billing ? { reason: input.billing.reason } : undefined,
  );
}

/** The plan in force's resources when they differ from what the agent runs with, else null. */
async function planResourcesFor(
  tx: Tx,
  userId: string,
  agent: { plan: string; cpuMillicores: number; memoryMb: number },
) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { plan: true } });
  const parsed = PlanId.safeParse(user?.plan);
  if (!parsed.success) return null;
  const plan = getPlan(parsed.data);
  if (plan.id === agent.plan && plan.cpuMillicores === agent.cpuMillicores && plan.memoryMb === agent.memoryMb) {
    return null;
  }
  return { plan: plan.id, cpuMillicores: plan.cpuMillicores, memoryMb: plan.memoryMb };
}

/** Automatic restarts from the health poller: the same path, marked automatic (counts toward the crash-loop cap). */
export async function requestAutomaticRestart(services: AgentServices, agentId: string, userId: string) {
  const operationId = newId("agentOperation");
  const claimed = await services.db.$transaction(async (tx) => {
    const result = await tx.agent.updateMany({
      where: { id: agentId, activeOperationId: null, status: { in: ["running", "degraded"] } },
      data: { activeOperationId: operationId, autoRestartCount: { increment: 1 } },
    });
    if (result.count === 0) return false;
    await tx.agentOperation.create({
      data: {
        id: operationId,
        agentId,
        userId,
        kind: "restart",
        status: "queued",
        deadlineAt: new Date(Date.now() + services.config.operationDeadlineMs),
        params: { automatic: true },
      },
    });
    return true;
  });
  if (!claimed) return null;
  await services.timeline.record({
    agentId,
    operationId,
    type: "restart.automatic",
    message: "Restarting automatically: the runtime stopped answering its health probes",
  });
  await services.queue.send(operationId);
  services.dispatch(operationId);
  return operationId;
}
