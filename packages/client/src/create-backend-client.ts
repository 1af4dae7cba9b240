import { ErrorBody, routes } from "@agentbot/contracts";
import type { RouteDefinition, RouteInput, RouteOutput } from "@agentbot/contracts";
import { BackendError } from "./backend-error.ts";

export interface BackendClientOptions {
  /** e.g. `http://127.0.0.1:4000` */
  readonly baseUrl: string;
  /** The service token; sent as `Authorization: Bearer …` to routes whose auth is `service`. */
  readonly token?: string | undefined;
  /** Per-call timeout; the default suits server-side rendering (fail fast, render a degraded page). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Forwarded as `x-request-id` so backend log lines join up with the caller's. */
  readonly requestId?: () => string | undefined;
}

type UrlValue = string | number | boolean;

function buildUrl(baseUrl: string, route: RouteDefinition, input: Record<string, unknown>): URL {
  const params = (input["params"] ?? {}) as Record<string, UrlValue | undefined>;
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${route.id}: missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const url = new URL(path, baseUrl);
  const query = (input["query"] ?? {}) as Record<string, UrlValue | undefined>;
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The typed client for the backend. Each method is derived from a route in `@agentbot/contracts`:
 * inputs are typed by the route's request schemas and outputs are validated against its response schema,
 * so a contract change that the backend and the web app disagree on fails loudly, not silently.
 */
export function createBackendClient(options: BackendClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;

  async function call<R extends RouteDefinition>(
    route: R,
    ...args: keyof RouteInput<R> extends never ? [] : [RouteInput<R>]
  ) {
    const input = (args[0] ?? {}) as Record<string, unknown>;
    const url = buildUrl(options.baseUrl, route, input);
    const headers: Record<string, string> = { accept: "application/json" };
    if (route.auth === "service" && options.token) headers["authorization"] = `Bearer ${options.token}`;
    const requestId = options.requestId?.();
    if (requestId) headers["x-request-id"] = requestId;
    let body: string | undefined;
    if (input["body"] !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(input["body"]);
    }

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: route.method.toUpperCase(),
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        cache: "no-store",
      });
    } catch (cause) {
      // Never include the URL's credentials or headers; the base URL itself is not secret.
      throw new BackendError({
        status: 0,
        code: "backend_unreachable",
        message: `backend did not answer ${route.method.toUpperCase()} ${url.pathname}: ${(cause as Error).message}`,
        cause,
      });
    }

    const payload = await readJson(response);
    const isSuccess = response.status === route.successStatus;
    const alternate = route.alternateResponses?.[response.status];
    if (!isSuccess && !alternate) {
      const parsed = ErrorBody.safeParse(payload);
      throw new BackendError({
        status: response.status,
        code: parsed.success ? parsed.data.error.code : "invalid_response",
        message: parsed.success
          ? parsed.data.error.message
          : `backend answered ${response.status} without an error body`,
        details: parsed.success ? parsed.data.error.details : undefined,
      });
    }
    const schema = isSuccess ? route.response : alternate!.schema;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new BackendError({
        status: response.status,
        code: "invalid_response",
        message: `${route.id}: response did not match the contract: ${parsed.error.issues
          .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
          .join("; ")}`,
      });
    }
    return parsed.data as RouteOutput<R>;
  }

  return {
    call,
    getLiveness: () => call(routes.liveness),
    /** Readiness answers 503 with a body when not ready; both are returned, never thrown. */
    getReadiness: () => call(routes.readiness),
    getStatus: () => call(routes.platformStatus),
    getPlans: () => call(routes.listPlans),
  };
}

export type BackendClient = ReturnType<typeof createBackendClient>;
