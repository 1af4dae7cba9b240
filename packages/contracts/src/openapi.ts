import type { z } from "zod";
import { createDocument } from "zod-openapi";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { ErrorBody } from "./errors.ts";
import { toOpenApiPath } from "./route.ts";
import type { RouteDefinition } from "./route.ts";
import { routes } from "./routes/index.ts";

function json(schema: z.ZodType) {
  return { content: { "application/json": { schema } } };
}

const standardErrors = {
  "400": {
    description: "Malformed JSON or a field failed validation (`details.issues` lists field paths)",
    ...json(ErrorBody),
  },
  "500": { description: "Unexpected failure (the body never carries internals)", ...json(ErrorBody) },
} as const;

const authErrors = {
  "401": { description: "Missing or wrong service token", ...json(ErrorBody) },
} as const;

function operationFor(route: RouteDefinition): ZodOpenApiOperationObject {
  const { params, query, body } = route.request;
  const alternates = Object.fromEntries(
    Object.entries(route.alternateResponses ?? {}).map(([status, alt]) => [
      status,
      { description: alt.description, ...json(alt.schema) },
    ]),
  );
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [...route.tags],
    ...(route.auth === "service" ? { security: [{ serviceToken: [] }] } : { security: [] }),
    requestParams: {
      ...(params ? { path: params as never } : {}),
      ...(query ? { query: query as never } : {}),
    },
    ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
    responses: {
      [String(route.successStatus)]:
        route.streaming === "sse"
          ? {
              description: "A stream of server-sent events; the schema describes each event's `data` (JSON)",
              content: { "text/event-stream": { schema: route.response } },
            }
          : { description: "Success", ...json(route.response) },
      ...standardErrors,
      ...(route.auth === "service" ? authErrors : {}),
      ...alternates,
    },
  };
}

/** The OpenAPI 3.1 document for every route in `routes`, generated from the same zod schemas the backend enforces. */
export function createOpenApiDocument(info: { version: string; serverUrl?: string }) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of Object.values(routes) as RouteDefinition[]) {
    const path = toOpenApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationFor(route) };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Agentbot backend API",
      version: info.version,
      description: "Service API behind the Agentbot dashboard. All routes but the probes need the service token.",
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    components: {
      securitySchemes: { serviceToken: { type: "http", scheme: "bearer", description: "BACKEND_SERVICE_TOKEN" } },
    },
    paths,
  });
}
