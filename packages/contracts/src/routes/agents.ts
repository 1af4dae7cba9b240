import { PlanId } from "@agentbot/plans";
import { z } from "zod";
import { defineRoute } from "../route.ts";

// The agents API between the web app (which authenticates the person or API key) and the backend (which owns
// provisioning). Every route is scoped to the acting user in its path: an agent of another user answers 404.

export const agentStatuses = [
  "queued",
  "provisioning",
  "running",
  "degraded",
  "starting",
  "stopping",
  "stopped",
  "restarting",
  "redeploying",
  "deleting",
  "deleted",
  "failed",
] as const;
export const AgentStatus = z.enum(agentStatuses).meta({ id: "AgentStatus" });
export type AgentStatus = z.infer<typeof AgentStatus>;

export const agentFailureReasons = [
  "engine_error",
  "health_timeout",
  "invalid_config",
  "crash_loop",
  "deadline_exceeded",
  "slot_timeout",
  "internal_error",
] as const;
export const AgentFailureReason = z.enum(agentFailureReasons).meta({ id: "AgentFailureReason" });
export type AgentFailureReason = z.infer<typeof AgentFailureReason>;

export const operationKinds = ["provision", "start", "stop", "restart", "redeploy", "delete"] as const;
export const OperationKind = z.enum(operationKinds).meta({ id: "OperationKind" });
export type OperationKind = z.infer<typeof OperationKind>;

export const OperationStatus = z.enum(["queued", "running", "succeeded", "failed"]).meta({ id: "OperationStatus" });
export type OperationStatus = z.infer<typeof OperationStatus>;

export const modelProviders = ["platform", "openai", "anthropic", "openrouter", "gemini"] as const;
export const ModelProvider = z.enum(modelProviders).meta({
  id: "ModelProvider",
  description: "`platform`: the platform's provider (credits); others: bring your own key",
});
export type ModelProvider = z.infer<typeof ModelProvider>;

export const EngineKindSchema = z.enum(["local", "railway"]).meta({ id: "EngineKind" });

export const AgentName = z
  .string()
  .trim()
  .min(1, "name is required")
  .max(40, "name must be at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and inner hyphens only");

/** An OpenClaw runtime version (the npm version / image tag), e.g. `2026.9.6`. */
export const RuntimeVersion = z
  .string()
  .regex(/^\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]+)?$/, "a runtime version such as 2026.9.6");

export const ExecPolicy = z.enum(["strict", "balanced", "permissive"]).meta({
  id: "ExecPolicy",
  description:
    "Who decides the agent's shell commands. strict: a human, every time; balanced: Safe commands run on their own " +
    "(recorded), Dangerous and Destructive wait for a human; permissive: Safe and Dangerous run, Destructive waits. " +
    "Destructive always waits for a human.",
});
export type ExecPolicy = z.infer<typeof ExecPolicy>;

export const Agent = z
  .object({
    id: z.string(),
    name: z.string(),
    status: AgentStatus,
    failureReason: AgentFailureReason.nullable(),
    failureMessage: z.string().nullable(),
    engine: EngineKindSchema,
    url: z.string().nullable().meta({ description: "Where the runtime answers (null until created)" }),
    runtimeVersion: z.string(),
    plan: PlanId,
    cpuMillicores: z.number().int().positive(),
    memoryMb: z.number().int().positive(),
    modelProvider: ModelProvider,
    model: z.string(),
    execPolicy: ExecPolicy,
    /** The operation in flight, if any. */
    activeOperation: z.object({ id: z.string(), kind: OperationKind, status: OperationStatus }).nullable(),
    runningSince: z.iso.datetime().nullable(),
    lastHealthyAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    deletedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "AgentRecord" });
export type Agent = z.infer<typeof Agent>;

export const AgentEvent = z
  .object({
    id: z.string(),
    operationId: z.string().nullable(),
    type: z.string(),
    status: AgentStatus,
    message: z.string(),
    durationMs: z.number().int().nonnegative().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AgentEvent" });
export type AgentEvent = z.infer<typeof AgentEvent>;

export const AgentOperation = z
  .object({
    id: z.string(),
    kind: OperationKind,
    status: OperationStatus,
    attempts: z.number().int().nonnegative(),
    errorReason: z.string().nullable(),
    errorMessage: z.string().nullable(),
    deadlineAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "AgentOperation" });
export type AgentOperation = z.infer<typeof AgentOperation>;

export const AgentDetail = z
  .object({ agent: Agent, events: z.array(AgentEvent), operations: z.array(AgentOperation) })
  .meta({ id: "AgentDetail" });
export type AgentDetail = z.infer<typeof AgentDetail>;

export const AgentList = z.object({ agents: z.array(Agent) }).meta({ id: "AgentRecordList" });
export type AgentList = z.infer<typeof AgentList>;

export const OperationAccepted = z
  .object({
    agent: Agent,
    operation: AgentOperation,
    /** false when the idempotency key matched an earlier request: nothing new was created. */
    created: z.boolean(),
  })
  .meta({ id: "OperationAccepted" });
export type OperationAccepted = z.infer<typeof OperationAccepted>;

export const IdempotencyKey = z
  .string()
  .min(8, "idempotency key must be 8–128 characters")
  .max(128, "idempotency key must be 8–128 characters")
  .regex(/^[A-Za-z0-9._:-]+$/, "letters, digits and . _ : - only");

/** What a customer chooses when deploying (shared by the backend route and the public API). */
export const AgentSettings = z.object({
  name: AgentName,
  modelProvider: ModelProvider.default("platform"),
  model: z.string().trim().min(1).max(200).default("openclaw/default").meta({
    description: "Model id for the provider, e.g. `gpt-4.1-mini` or `anthropic/claude-sonnet-4`",
  }),
  /** Required when `modelProvider` is not `platform`; stored encrypted, never returned. */
  providerApiKey: z.string().trim().min(8).max(500).optional(),
  channels: z
    .object({
      telegramBotToken: z
        .string()
        .trim()
        .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "a Telegram bot token")
        .optional(),
    })
    .strict()
    .default({}),
  runtimeVersion: RuntimeVersion.optional().meta({ description: "Defaults to the platform's pinned version" }),
  execPolicy: ExecPolicy.optional().meta({ description: "Defaults to balanced" }),
});

const refineProviderKey = <T extends { modelProvider: ModelProvider; providerApiKey?: string | undefined }>(
  value: T,
  context: z.core.$RefinementCtx<T>,
) => {
  if (value.modelProvider !== "platform" && value.providerApiKey === undefined) {
    context.addIssue({
      code: "custom",
      path: ["providerApiKey"],
      message: `an API key is required for ${value.modelProvider} (or choose the platform provider)`,
    });
  }
};

export const ProvisionAgentRequest = AgentSettings.extend({
  userId: z.string().min(1),
  idempotencyKey: IdempotencyKey,
})
  .strict()
  .superRefine(refineProviderKey)
  .meta({ id: "ProvisionAgentRequest" });
export type ProvisionAgentRequest = z.infer<typeof ProvisionAgentRequest>;

export const UserAgentParams = z.object({ userId: z.string().min(1), agentId: z.string().min(1) });
export const UserParams = z.object({ userId: z.string().min(1) });

export const AgentActionRequest = z
  .discriminatedUnion("action", [
    z.object({ action: z.literal("start") }).strict(),
    z.object({ action: z.literal("stop") }).strict(),
    z.object({ action: z.literal("restart") }).strict(),
    z.object({ action: z.literal("redeploy"), runtimeVersion: RuntimeVersion.optional() }).strict(),
  ])
  .meta({ id: "AgentActionRequest" });
export type AgentActionRequest = z.infer<typeof AgentActionRequest>;

export const LogLineSchema = z
  .object({
    at: z.iso.datetime(),
    stream: z.enum(["stdout", "stderr", "engine"]),
    /** Secrets (tokens, keys) are replaced by `[redacted]` before a line leaves the backend. */
    text: z.string(),
  })
  .meta({ id: "AgentLogLine" });
export type LogLineSchema = z.infer<typeof LogLineSchema>;

export const AgentLogs = z.object({ lines: z.array(LogLineSchema) }).meta({ id: "AgentLogs" });

export const ChatRequest = z
  .object({
    message: z.string().trim().min(1, "message is required").max(20_000),
    /** Keeps a conversation going across messages (OpenClaw session key); defaults to one per user. */
    sessionKey: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/)
      .optional(),
  })
  .strict()
  .meta({ id: "ChatRequest" });
export type ChatRequest = z.infer<typeof ChatRequest>;

/** Events of the chat stream (`data:` of each server-sent event). */
export const ChatStreamEvent = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("delta"), text: z.string() }),
    z.object({ type: z.literal("done"), reply: z.string() }),
    z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  ])
  .meta({ id: "ChatStreamEvent" });
export type ChatStreamEvent = z.infer<typeof ChatStreamEvent>;

/** Events of the live status stream: the agent's new state and the timeline event that changed it. */
export const AgentStreamEvent = z
  .object({ agent: Agent, event: AgentEvent.nullable() })
  .meta({ id: "AgentStreamEvent" });
export type AgentStreamEvent = z.infer<typeof AgentStreamEvent>;

export const ControlUiLink = z
  .object({
    /** Opens the runtime's Control UI; the gateway token travels in the URL fragment, which is never sent to servers. */
    url: z.string(),
  })
  .meta({ id: "ControlUiLink" });

const agentRoute = "/api/users/:userId/agents/:agentId";

export const provisionAgentRoute = defineRoute({
  id: "provisionAgent",
  method: "post",
  path: "/api/platform-jobs/provision",
  summary: "Create an agent and queue its provisioning (idempotent per user and idempotency key)",
  tags: ["agents"],
  auth: "service",
  successStatus: 202,
  request: { body: ProvisionAgentRequest },
  response: OperationAccepted,
});

export const listAgentsRoute = defineRoute({
  id: "listAgents",
  method: "get",
  path: "/api/users/:userId/agents",
  summary: "A user's agents (deleted ones only with includeDeleted)",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  request: {
    params: UserParams,
    query: z.object({ includeDeleted: z.enum(["true", "false"]).default("false") }),
  },
  response: AgentList,
});

export const getAgentRoute = defineRoute({
  id: "getAgent",
  method: "get",
  path: agentRoute,
  summary: "One agent with its event timeline and recent operations",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  request: { params: UserAgentParams },
  response: AgentDetail,
});

export const agentActionRoute = defineRoute({
  id: "agentAction",
  method: "post",
  path: `${agentRoute}/actions`,
  summary: "Start, stop, restart or redeploy an agent (409 while another operation is in flight)",
  tags: ["agents"],
  auth: "service",
  successStatus: 202,
  request: { params: UserAgentParams, body: AgentActionRequest },
  response: OperationAccepted,
});

export const deleteAgentRoute = defineRoute({
  id: "deleteAgent",
  method: "delete",
  path: agentRoute,
  summary: "Delete an agent: its engine resources and state are removed, the record is kept as deleted",
  tags: ["agents"],
  auth: "service",
  successStatus: 202,
  request: { params: UserAgentParams },
  response: OperationAccepted,
});

export const agentLogsRoute = defineRoute({
  id: "getAgentLogs",
  method: "get",
  path: `${agentRoute}/logs`,
  summary: "Recent log lines of the agent's runtime (secrets redacted)",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  request: {
    params: UserAgentParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  },
  response: AgentLogs,
});

export const followAgentLogsRoute = defineRoute({
  id: "followAgentLogs",
  method: "get",
  path: `${agentRoute}/logs/stream`,
  summary: "Live log lines (server-sent events, secrets redacted)",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  streaming: "sse",
  request: { params: UserAgentParams },
  response: LogLineSchema,
});

export const agentEventsStreamRoute = defineRoute({
  id: "streamAgentEvents",
  method: "get",
  path: "/api/users/:userId/agents-stream",
  summary: "Live status changes of a user's agents (server-sent events); `agentId` narrows it to one agent",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  streaming: "sse",
  request: { params: UserParams, query: z.object({ agentId: z.string().min(1).optional() }) },
  response: AgentStreamEvent,
});

export const chatWithAgentRoute = defineRoute({
  id: "chatWithAgent",
  method: "post",
  path: `${agentRoute}/chat`,
  summary: "Send a message to the agent through its runtime's OpenAI-compatible endpoint; the reply is streamed",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  streaming: "sse",
  request: { params: UserAgentParams, body: ChatRequest },
  response: ChatStreamEvent,
});

export const controlUiRoute = defineRoute({
  id: "getAgentControlUi",
  method: "get",
  path: `${agentRoute}/control-ui`,
  summary: "The URL that opens the runtime's Control UI (owner only)",
  tags: ["agents"],
  auth: "service",
  successStatus: 200,
  request: { params: UserAgentParams },
  response: ControlUiLink,
});
