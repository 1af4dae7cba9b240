import { ErrorBody } from "@agentbot/contracts";
import type { RouteDefinition } from "@agentbot/contracts";
import { BackendError, parseRetryAfter } from "./backend-error.ts";

/** How the client reaches the backend; shared by JSON calls and event streams. */
export interface Transport {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly fetch: typeof fetch;
  readonly requestId?: (() => string | undefined) | undefined;
}

type UrlValue = string | number | boolean;

export function buildUrl(baseUrl: string, route: RouteDefinition, input: Record<string, unknown>): URL {
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

/** Method, headers (service token, request id, accept) and JSON body for one route call. */
export function buildRequest(
  transport: Transport,
  route: RouteDefinition,
  input: Record<string, unknown>,
  accept: string,
): { url: URL; init: RequestInit } {
  const url = buildUrl(transport.baseUrl, route, input);
  const headers: Record<string, string> = { accept };
  if (route.auth === "service" && transport.token) headers["authorization"] = `Bearer ${transport.token}`;
  const requestId = transport.requestId?.();
  if (requestId) headers["x-request-id"] = requestId;
  let body: string | undefined;
  if (input["body"] !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(input["body"]);
  }
  return { url, init: { method: route.method.toUpperCase(), headers, body, cache: "no-store" } };
}

/** The error for a request that got no HTTP answer. Never includes headers (the token); the base URL is not secret. */
export function unreachableError(route: RouteDefinition, url: URL, cause: unknown): BackendError {
  return new BackendError({
    status: 0,
    code: "backend_unreachable",
    message: `backend did not answer ${route.method.toUpperCase()} ${url.pathname}: ${(cause as Error).message}`,
    cause,
  });
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The error an answer that is not the route's success (nor a documented alternate) stands for. */
export function errorFromAnswer(response: Response, payload: unknown): BackendError {
  const parsed = ErrorBody.safeParse(payload);
  return new BackendError({
    status: response.status,
    code: parsed.success ? parsed.data.error.code : "invalid_response",
    message: parsed.success ? parsed.data.error.message : `backend answered ${response.status} without an error body`,
    details: parsed.success ? parsed.data.error.details : undefined,
    retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")),
  });
}

export function contractError(
  route: RouteDefinition,
  status: number,
  issues: readonly { path: PropertyKey[]; message: string }[],
) {
  return new BackendError({
    status,
    code: "invalid_response",
    message: `${route.id}: response did not match the contract: ${issues
      .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
      .join("; ")}`,
  });
}
