import { toValidationIssues } from "@agentbot/contracts";
import type { RouteDefinition, RouteOutput, ValidationIssue } from "@agentbot/contracts";
import type { Request, Response, Router } from "express";
import type { z } from "zod";
import { HttpError } from "./http-error.ts";

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<R extends RouteDefinition> {
  readonly params: Parsed<R["request"]["params"]>;
  readonly query: Parsed<R["request"]["query"]>;
  readonly body: Parsed<R["request"]["body"]>;
  readonly req: Request;
  readonly res: Response;
}

/** What a handler returns: the body, and optionally a status the route documents as an alternate answer. */
export type RouteResult<R extends RouteDefinition> =
  RouteOutput<R> | { readonly status: number; readonly body: unknown };

export type RouteHandler<R extends RouteDefinition> = (
  context: RouteContext<R>,
) => Promise<RouteResult<R>> | RouteResult<R>;

type RequestSource = "params" | "query" | "body";

/** Parses every declared part and reports all invalid fields together, not just the first part that failed. */
export function parseRequest(route: RouteDefinition, req: Request) {
  const issues: ValidationIssue[] = [];
  const parsed: Partial<Record<RequestSource, unknown>> = {};
  const sources: Record<RequestSource, unknown> = { params: req.params, query: req.query, body: req.body ?? undefined };
  for (const source of ["params", "query", "body"] as const) {
    const schema = route.request[source];
    if (!schema) continue;
    const result = schema.safeParse(sources[source]);
    if (result.success) parsed[source] = result.data;
    else issues.push(...toValidationIssues(source, result.error.issues));
  }
  if (issues.length > 0) {
    throw new HttpError(
      400,
      "validation_failed",
      `Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
      { issues },
    );
  }
  return parsed;
}

/** An explicit alternate answer, e.g. `respondWith(503, body)` from readiness. */
export function respondWith(status: number, body: unknown) {
  return { status, body, [alternateMarker]: true } as const;
}
const alternateMarker = Symbol("alternate-response");

function isAlternateResponse(value: unknown): value is { status: number; body: unknown } {
  return typeof value === "object" && value !== null && alternateMarker in value;
}

/**
 * Mounts a contract route: validates params, query and body with the route's zod schemas (400 naming each
 * field on failure), runs the handler, and sends the result parsed through the response schema, so a field
 * the contract does not declare can never leave the backend (no accidental leaks of internal columns).
 */
export function mountRoute<R extends RouteDefinition>(router: Router, route: R, handler: RouteHandler<R>) {
  router[route.method](route.path, async (req: Request, res: Response) => {
    if (route.request.body && !req.is("application/json")) {
      throw new HttpError(415, "unsupported_media_type", "Send the request body as application/json.");
    }
    const context = { ...parseRequest(route, req), req, res } as RouteContext<R>;
    const result = (await handler(context)) as unknown;
    const alternate = isAlternateResponse(result) ? result : undefined;
    const status = alternate ? alternate.status : route.successStatus;
    const rawBody = alternate ? alternate.body : result;
    const schema = alternate ? route.alternateResponses?.[status]?.schema : route.response;
    if (!schema) throw new Error(`${route.id} answered ${status}, which its contract does not declare`);
    if (status === 204) {
      res.status(204).end();
      return;
    }
    res.status(status).json(schema.parse(rawBody));
  });
}
