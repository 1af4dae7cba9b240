import { setTimeout as sleepFor } from "node:timers/promises";
import { railwayOperations } from "./operations.ts";
import type { RailwayOperationName } from "./operations.ts";
import { RailwayError } from "./railway-error.ts";

export const RAILWAY_ENDPOINT = "https://backboard.railway.com/graphql/v2";

/** 429 and gateway errors are worth retrying; Railway's rate limits answer 429 with Retry-After. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export interface RailwayClientOptions {
  /** Account or workspace token (`Authorization: Bearer`), or a project token (`Project-Access-Token`). */
  readonly token: string;
  readonly tokenKind?: "account" | "project";
  readonly endpoint?: string;
  /** Attempts for retryable failures, including the first. Default 5. */
  readonly maxAttempts?: number;
  /** First backoff delay; doubles each attempt, with jitter, capped by maxDelayMs. Default 500 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-request timeout. Default 15 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Called before each retry, for logs and metrics. */
  readonly onRetry?: (info: { operation: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: () => number = Date.now): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

interface GraphQLAnswer {
  data?: unknown;
  errors?: Array<{ message: string; path?: Array<string | number> }>;
}

function isGraphQLAnswer(value: unknown): value is GraphQLAnswer {
  return typeof value === "object" && value !== null && ("data" in value || "errors" in value);
}

/**
 * A small client for Railway's public GraphQL API: sends one of `railwayOperations`, retries 429/502/503/504 and
 * network failures with exponential backoff that honours `Retry-After`, and turns every other outcome into a
 * `RailwayError` (including HTML pages where JSON was expected). Not covered: response data typing (callers parse
 * `data` with their own zod schemas) and idempotency of retried mutations (callers make mutations safe to repeat).
 */
export function createRailwayClient(options: RailwayClientOptions) {
  const endpoint = options.endpoint ?? RAILWAY_ENDPOINT;
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const authHeaders: Record<string, string> =
    options.tokenKind === "project"
      ? { "project-access-token": options.token }
      : { authorization: `Bearer ${options.token}` };

  function backoff(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxDelayMs);
    const exponential = baseDelayMs * 2 ** (attempt - 1);
    return Math.min(maxDelayMs, Math.round(exponential / 2 + random() * (exponential / 2)));
  }

  async function attemptOnce(operation: RailwayOperationName, variables: Record<string, unknown>) {
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...authHeaders },
        body: JSON.stringify({ query: railwayOperations[operation], variables, operationName: undefined }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      return {
        retry: true as const,
        error: new RailwayError({ kind: "network", operation, message: (cause as Error).message, cause }),
      };
    }
    const text = await response.text();
    if (RETRYABLE_STATUSES.has(response.status)) {
      return {
        retry: true as const,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
        error: new RailwayError({
          kind: "http",
          operation,
          status: response.status,
          message: `HTTP ${response.status}`,
        }),
      };
    }
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      const snippet = text.replace(/\s+/g, " ").trim().slice(0, 120);
      return {
        retry: false as const,
        error: new RailwayError({
          kind: response.ok ? "invalid_response" : "http",
          operation,
          status: response.status,
          message: `expected JSON, got ${response.headers.get("content-type") ?? "no content type"} (HTTP ${response.status}): ${snippet}`,
        }),
      };
    }
    if (!response.ok && !isGraphQLAnswer(body)) {
      return {
        retry: false as const,
        error: new RailwayError({
          kind: "http",
          operation,
          status: response.status,
          message: `HTTP ${response.status}`,
        }),
      };
    }
    if (!isGraphQLAnswer(body)) {
      return {
        retry: false as const,
        error: new RailwayError({
          kind: "invalid_response",
          operation,
          status: response.status,
          message: "not a GraphQL answer",
        }),
      };
    }
    if (body.errors && body.errors.length > 0) {
      return {
        retry: false as const,
        error: new RailwayError({
          kind: "graphql",
          operation,
          status: response.status,
          message: body.errors.map((error) => error.message).join("; "),
          graphqlErrors: body.errors,
        }),
      };
    }
    return { retry: false as const, data: body.data };
  }

  return {
    /** Sends `operation` and returns its `data`, or throws a RailwayError. */
    async request(operation: RailwayOperationName, variables: Record<string, unknown> = {}): Promise<unknown> {
      for (let attempt = 1; ; attempt++) {
        const outcome = await attemptOnce(operation, variables);
        if (!("error" in outcome) || outcome.error === undefined) return outcome.data;
        if (!outcome.retry || attempt >= maxAttempts) throw outcome.error;
        const delayMs = backoff(attempt, "retryAfterMs" in outcome ? outcome.retryAfterMs : undefined);
        options.onRetry?.({ operation, attempt, delayMs, reason: outcome.error.message });
        await sleep(delayMs);
      }
    },
  };
}

export type RailwayClient = ReturnType<typeof createRailwayClient>;
