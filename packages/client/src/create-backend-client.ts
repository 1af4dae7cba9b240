import { routes } from "@agentbot/contracts";
import type {
  AgentActionRequest,
  ApprovalDecisionRequest,
  ApprovalListQuery,
  ChatRequest,
  ExecPolicy,
  ProvisionAgentRequest,
  RouteDefinition,
  RouteInput,
  RouteOutput,
} from "@agentbot/contracts";
import { contractError, errorFromAnswer, buildRequest, readJson, unreachableError } from "./http.ts";
import type { Transport } from "./http.ts";
import { openEventStream } from "./event-stream.ts";
import type { BackendEventStream, StreamOptions } from "./event-stream.ts";

export interface BackendClientOptions {
  /** e.g. `http://127.0.0.1:4000` */
  readonly baseUrl: string;
  /** The service token; sent as `Authorization: Bearer …` to routes whose auth is `service`. */
  readonly token?: string | undefined;
  /**
   * Per-call timeout; the default suits server-side rendering (fail fast, render a degraded page). For event streams
   * it bounds only the wait for the answer's headers.
   */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Forwarded as `x-request-id` so backend log lines join up with the caller's. */
  readonly requestId?: () => string | undefined;
}

type Args<R> = keyof RouteInput<R> extends never ? [] : [RouteInput<R>];

/**
 * The typed client for the backend. Each method is derived from a route in `@agentbot/contracts`:
 * inputs are typed by the route's request schemas and outputs are validated against its response schema,
 * so a contract change that the backend and the web app disagree on fails loudly, not silently.
 */
export function createBackendClient(options: BackendClientOptions) {
  const transport: Transport = {
    baseUrl: options.baseUrl,
    token: options.token,
    fetch: options.fetch ?? fetch,
    requestId: options.requestId,
  };
  const timeoutMs = options.timeoutMs ?? 5_000;

  /** One JSON route: the validated success body (or a documented alternate answer), else a `BackendError`. */
  async function call<R extends RouteDefinition>(route: R, ...args: Args<R>) {
    if (route.streaming === "sse") throw new TypeError(`${route.id} is a streaming route: use stream()`);
    const input = (args[0] ?? {}) as Record<string, unknown>;
    const { url, init } = buildRequest(transport, route, input, "application/json");
    let response: Response;
    try {
      response = await transport.fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw unreachableError(route, url, cause);
    }

    const payload = await readJson(response);
    const isSuccess = response.status === route.successStatus;
    const alternate = route.alternateResponses?.[response.status];
    if (!isSuccess && !alternate) throw errorFromAnswer(response, payload);
    const schema = isSuccess ? route.response : alternate!.schema;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw contractError(route, response.status, parsed.error.issues);
    return parsed.data as RouteOutput<R>;
  }

  /**
   * One `streaming: "sse"` route: resolves once the stream is open (errors before that reject with the backend's
   * error), then yields validated events until the backend ends the stream or the caller aborts `signal`.
   */
  function stream<R extends RouteDefinition>(
    route: R,
    input: RouteInput<R>,
    streamOptions: StreamOptions = {},
  ): Promise<BackendEventStream<RouteOutput<R>>> {
    return openEventStream(transport, route, input as Record<string, unknown>, {
      signal: streamOptions.signal,
      connectTimeoutMs: timeoutMs,
    });
  }

  const agent = (userId: string, agentId: string) => ({ params: { userId, agentId } });

  return {
    call,
    stream,
    getLiveness: () => call(routes.liveness),
    /** Readiness answers 503 with a body when not ready; both are returned, never thrown. */
    getReadiness: () => call(routes.readiness),
    getStatus: () => call(routes.platformStatus),
    getPlans: () => call(routes.listPlans),

    /** 202; with an idempotency key already used by this user, the earlier agent (`created: false`). */
    provisionAgent: (body: ProvisionAgentRequest) => call(routes.provisionAgent, { body }),
    listAgents: (userId: string, query: { includeDeleted?: boolean } = {}) =>
      call(routes.listAgents, {
        params: { userId },
        query: { includeDeleted: query.includeDeleted === true ? "true" : "false" },
      }),
    getAgent: (userId: string, agentId: string) => call(routes.getAgent, agent(userId, agentId)),
    /** 409 `conflict` while another operation is in flight. */
    agentAction: (userId: string, agentId: string, action: AgentActionRequest) =>
      call(routes.agentAction, { ...agent(userId, agentId), body: action }),
    deleteAgent: (userId: string, agentId: string) => call(routes.deleteAgent, agent(userId, agentId)),
    getAgentLogs: (userId: string, agentId: string, query: { limit?: number } = {}) =>
      call(routes.getAgentLogs, { ...agent(userId, agentId), query }),
    getAgentControlUi: (userId: string, agentId: string) => call(routes.getAgentControlUi, agent(userId, agentId)),

    followAgentLogs: (userId: string, agentId: string, streamOptions?: StreamOptions) =>
      stream(routes.followAgentLogs, agent(userId, agentId), streamOptions),
    /** Every agent of the user, or one with `agentId`. */
    streamAgentEvents: (userId: string, query: { agentId?: string } = {}, streamOptions?: StreamOptions) =>
      stream(routes.streamAgentEvents, { params: { userId }, query }, streamOptions),
    chatWithAgent: (userId: string, agentId: string, body: ChatRequest, streamOptions?: StreamOptions) =>
      stream(routes.chatWithAgent, { ...agent(userId, agentId), body }, streamOptions),

    /** Pending requests by default; `status: "any"` and the filters for history (`nextCursor` → `before`). */
    listApprovals: (userId: string, query: ApprovalListQuery = {}) =>
      call(routes.listApprovals, { params: { userId }, query }),
    countPendingApprovals: (userId: string) => call(routes.countPendingApprovals, { params: { userId } }),
    /** A snapshot of the pending requests, then `created` and `decided` events. */
    streamApprovals: (userId: string, streamOptions?: StreamOptions) =>
      stream(routes.streamApprovals, { params: { userId } }, streamOptions),
    /**
     * 409 `conflict` when already decided otherwise; a Destructive approval: 400 without `confirmAgentName`, 403
     * `reauthentication_required` without a password re-authentication in the last 5 minutes (never with an API key).
     */
    decideApproval: (userId: string, approvalId: string, body: ApprovalDecisionRequest) =>
      call(routes.decideApproval, { params: { userId, approvalId }, body }),
    setAgentExecPolicy: (userId: string, agentId: string, execPolicy: ExecPolicy) =>
      call(routes.setAgentExecPolicy, { ...agent(userId, agentId), body: { execPolicy } }),
    listExecAllowlist: (userId: string, agentId: string) => call(routes.listExecAllowlist, agent(userId, agentId)),
    removeExecAllowlistEntry: (userId: string, agentId: string, entryId: string) =>
      call(routes.removeExecAllowlistEntry, { params: { userId, agentId, entryId } }),
  };
}

export type BackendClient = ReturnType<typeof createBackendClient>;
