import type { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * How a route authenticates its caller.
 * - `none`: public probes (`/healthz`, `/readyz`) only.
 * - `service`: `Authorization: Bearer <BACKEND_SERVICE_TOKEN>`, the web app's service-to-service credential.
 */
export type RouteAuth = "none" | "service";

export interface RouteRequest {
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
}

/**
 * One backend endpoint, declared once. The backend mounts and validates it, the typed client calls it,
 * and the OpenAPI document is generated from it, so the three cannot disagree.
 * `path` uses Express syntax (`/api/agents/:agentId`).
 */
export interface RouteDefinition<Req extends RouteRequest = RouteRequest, Res extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  /** Longer text for the OpenAPI document (what is refused and why), when the summary cannot say it all. */
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  readonly successStatus: 200 | 201 | 202 | 204;
  readonly request: Req;
  readonly response: Res;
  /**
   * `sse`: the route answers `text/event-stream`; `response` then describes the `data` of each event (JSON), and
   * clients read it with the typed client's `stream()`, not `call()`.
   */
  readonly streaming?: "sse";
  /** Statuses the route documents besides success and the standard errors (e.g. 503 for readiness). */
  readonly alternateResponses?: Readonly<Record<number, { readonly description: string; readonly schema: z.ZodType }>>;
}

export function defineRoute<const Req extends RouteRequest, Res extends z.ZodType>(
  route: RouteDefinition<Req, Res>,
): RouteDefinition<Req, Res> {
  return route;
}

type RequestPart<Req, K extends keyof RouteRequest> = Req extends { readonly [P in K]: infer S extends z.ZodType }
  ? S
  : never;

type InputPart<Req, K extends keyof RouteRequest, Optional extends boolean> = [RequestPart<Req, K>] extends [never]
  ? unknown
  : Optional extends true
    ? { readonly [P in K]?: z.input<RequestPart<Req, K>> }
    : { readonly [P in K]: z.input<RequestPart<Req, K>> };

/** What a caller sends to a route: exactly the parts the route declares. */
export type RouteInput<R> =
  R extends RouteDefinition<infer Req, z.ZodType>
    ? InputPart<Req, "params", false> & InputPart<Req, "query", true> & InputPart<Req, "body", false>
    : never;

export type RouteOutput<R> = R extends RouteDefinition<RouteRequest, infer Res> ? z.output<Res> : never;

/** `/api/agents/:agentId` → `/api/agents/{agentId}` (OpenAPI path template syntax). */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}
