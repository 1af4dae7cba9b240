import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { execute, getOperationAST, GraphQLError, parse, validate } from "graphql";
import type { DocumentNode, OperationDefinitionNode } from "graphql";
import { railwaySchema } from "../railway-schema.ts";
import { fakeRuntimeContainers } from "./fake-railway-container.ts";
import { createFakeRailwayResolvers } from "./fake-railway-resolvers.ts";
import { createFakeRailwayWorld } from "./fake-railway-world.ts";
import type { FakeContainerLauncher, FakeDeploymentStatus, FakeLogLine } from "./fake-railway-world.ts";

/**
 * A local Railway for tests: `POST /graphql/v2` speaking Railway's public GraphQL API, built from Railway's published
 * schema. Every request is parsed and validated against that schema (an invalid document gets Railway's kind of answer,
 * never a silent success), authenticated like Railway (`Authorization: Bearer <token>` or `Project-Access-Token`), then
 * executed by resolvers over an in-memory project (see fake-railway-world.ts) whose deployments run real containers
 * stand-ins (the engine package's fake OpenClaw runtime) behind loopback domains.
 *
 * Answers, as Railway gives them (see ../shared/notes/railway.md):
 * - Resolver errors (not found, injected failures) and refused credentials ("Not Authorized"): HTTP 200 with `errors[]`.
 * - A document that does not parse or validate: HTTP 200 with `errors[]` and `extensions.code` GRAPHQL_PARSE_FAILED or
 *   GRAPHQL_VALIDATION_FAILED, no `data`. Railway answers with 200 and errors[] as a rule (its CLI reads errors from
 *   the body without looking at the status); the GraphQL-over-HTTP spec allows 200 for `application/json` answers.
 * - A body that is not JSON, or no `query`: HTTP 400 with `errors[]`.
 * - `rateLimitNext`: 429 with `Retry-After` and `X-RateLimit-Limit/Remaining/Reset`.
 * - `htmlErrorNext`: an HTML "Access denied" page (403 or 200), as heavy callers have received.
 * Not covered: subscriptions (logs streaming), the many operations the driver does not use (they validate, then
 * answer a "not supported by the fake" error), workspaces and several projects.
 */

export interface FakeRailwayServerOptions {
  /** The API token callers must present. Default: a random one (read it from the handle). */
  readonly token?: string;
  readonly projectId?: string;
  readonly environmentId?: string;
  /** What runs a deployment's container. Default: the engine package's fake OpenClaw runtime, one process each. */
  readonly launchContainer?: FakeContainerLauncher;
  /** Length of each of the INITIALIZING and BUILDING phases. Default 10 ms. */
  readonly phaseMs?: number;
  /** Health check retry interval while DEPLOYING. Default 25 ms. */
  readonly healthPollMs?: number;
  /** Cap on a deployment's health check window. Default 15 s. */
  readonly maxHealthcheckTimeoutMs?: number;
}

export interface RecordedRailwayRequest {
  /** The document's operation name (`ServiceCreate`), or null for an anonymous or unreadable document. */
  readonly operationName: string | null;
  /** The root fields the document selects (`serviceCreate`). */
  readonly fields: readonly string[];
  readonly variables: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly outcome:
    "ok" | "errors" | "invalid_document" | "unauthorized" | "rate_limited" | "html_page" | "bad_request";
  /** The messages of `errors[]`, if any. */
  readonly errors: readonly string[];
  /** When the request arrived (ms since the epoch). */
  readonly at: number;
}

export interface FakeRailwayState {
  readonly services: readonly {
    readonly id: string;
    readonly name: string;
    readonly image: string | null;
    readonly variables: Readonly<Record<string, string>>;
    readonly healthcheckPath: string | null;
    readonly restartPolicyType: string;
    readonly restartPolicyMaxRetries: number;
    readonly vCPUs: number | null;
    readonly memoryGB: number | null;
  }[];
  readonly volumes: readonly { readonly id: string; readonly serviceId: string | null; readonly mountPath: string }[];
  readonly domains: readonly { readonly id: string; readonly serviceId: string; readonly domain: string }[];
  readonly deployments: readonly {
    readonly id: string;
    readonly serviceId: string;
    readonly status: FakeDeploymentStatus;
    readonly running: boolean;
  }[];
}

export interface FakeRailwayServer {
  /** `http://127.0.0.1:<port>/graphql/v2`. */
  readonly endpoint: string;
  readonly token: string;
  readonly projectId: string;
  readonly environmentId: string;
  /** Every request received, in order (including refused ones). */
  readonly requests: readonly RecordedRailwayRequest[];
  /** The recorded requests that selected the root field `field` (e.g. "serviceCreate"). */
  requestsFor(field: string): RecordedRailwayRequest[];
  /** What the fake Railway holds now. */
  state(): FakeRailwayState;
  /** A deployment's log lines, oldest first. */
  deploymentLogs(deploymentId: string): readonly FakeLogLine[];
  /** The next `count` requests get 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** The next `count` requests get an HTML "Access denied" page with this status. */
  htmlErrorNext(count: number, status?: 403 | 200): void;
  /** The next deployment to start its container crashes instead (CRASHED, no runtime). */
  crashNextDeployment(): void;
  /** Every deployment of a service whose name contains `serviceNamePart` crashes (from now on). */
  crashDeploymentsOf(serviceNamePart: string): void;
  /**
   * The mutation or query field `field` answers a GraphQL error once, after `afterCalls` more successful calls
   * (0: the next call fails). The rest of the document is not executed, as a failed mutation stops Railway.
   */
  failOperation(field: string, afterCalls?: number, message?: string): void;
  /** The service's running deployment becomes CRASHED and its runtime stops. */
  crash(serviceId: string): Promise<void>;
  /** Appends a line to the service's latest deployment's logs. */
  appendLog(serviceId: string, message: string, severity?: "info" | "error"): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

const ACCESS_DENIED_HTML =
  "<!DOCTYPE html><html><head><title>Access denied</title></head><body><h1>Access denied</h1>" +
  "<p>You do not have access to backboard.railway.com. The site owner may have set restrictions that prevent you " +
  "from accessing the site.</p></body></html>";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function rootFields(operation: OperationDefinitionNode | null | undefined): string[] {
  if (!operation) return [];
  return operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === "Field" ? [selection.name.value] : [],
  );
}

export async function startFakeRailwayServer(options: FakeRailwayServerOptions = {}): Promise<FakeRailwayServer> {
  const token = options.token ?? `fake-railway-token-${randomUUID()}`;
  const schema = railwaySchema();
  const world = await createFakeRailwayWorld({
    projectId: options.projectId ?? randomUUID(),
    environmentId: options.environmentId ?? randomUUID(),
    launchContainer: options.launchContainer ?? fakeRuntimeContainers(),
    ...(options.phaseMs === undefined ? {} : { phaseMs: options.phaseMs }),
    ...(options.healthPollMs === undefined ? {} : { healthPollMs: options.healthPollMs }),
    ...(options.maxHealthcheckTimeoutMs === undefined
      ? {}
      : { maxHealthcheckTimeoutMs: options.maxHealthcheckTimeoutMs }),
  });
  const resolvers = createFakeRailwayResolvers(world);
  const requests: RecordedRailwayRequest[] = [];
  let rateLimited = 0;
  let retryAfterSeconds = 1;
  let htmlPages = 0;
  let htmlStatus: 403 | 200 = 403;
  const failures = new Map<string, { remainingSuccesses: number; message: string }>();

  /** Wraps each root resolver so an injected failure answers a GraphQL error in its place. */
  function withFailures<T extends Record<string, (args: unknown) => unknown>>(fields: T): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => [
        name,
        (args: unknown) => {
          const failure = failures.get(name);
          if (failure) {
            if (failure.remainingSuccesses === 0) {
              failures.delete(name);
              throw new GraphQLError(failure.message);
            }
            failure.remainingSuccesses--;
          }
          return resolve(args);
        },
      ]),
    );
  }
  const queryRoot = withFailures(resolvers.query);
  const mutationRoot = withFailures(resolvers.mutation);

  function isAuthorized(request: IncomingMessage): boolean {
    const bearer = request.headers.authorization;
    if (typeof bearer === "string" && bearer.startsWith("Bearer ") && sameSecret(bearer.slice(7), token)) return true;
    const projectToken = request.headers["project-access-token"];
    return typeof projectToken === "string" && sameSecret(projectToken, token);
  }

  function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    response.end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const at = Date.now();
    const record = (entry: Partial<RecordedRailwayRequest> & Pick<RecordedRailwayRequest, "status" | "outcome">) =>
      requests.push({ operationName: null, fields: [], variables: {}, errors: [], at, ...entry });

    if (rateLimited > 0) {
      rateLimited--;
      await readBody(request).catch(() => "");
      const resetAt = Math.ceil(Date.now() / 1000) + retryAfterSeconds;
      record({ status: 429, outcome: "rate_limited" });
      return send(
        response,
        429,
        { errors: [{ message: "Rate limit exceeded. Please try again later." }] },
        {
          "retry-after": String(retryAfterSeconds),
          "x-ratelimit-limit": "10000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(resetAt),
        },
      );
    }
    if (htmlPages > 0) {
      htmlPages--;
      await readBody(request).catch(() => "");
      record({ status: htmlStatus, outcome: "html_page" });
      response.writeHead(htmlStatus, { "content-type": "text/html; charset=utf-8" });
      response.end(ACCESS_DENIED_HTML);
      return;
    }
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/graphql/v2") {
      record({ status: 404, outcome: "bad_request" });
      return send(response, 404, { errors: [{ message: "Not Found" }] });
    }
    if (request.method !== "POST") {
      record({ status: 405, outcome: "bad_request" });
      return send(response, 405, { errors: [{ message: "Only POST is supported" }] }, { allow: "POST" });
    }

    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(await readBody(request)) as typeof body;
      if (typeof body !== "object" || body === null) throw new Error("the body must be a JSON object");
    } catch (cause) {
      const message = `Invalid JSON body: ${(cause as Error).message}`;
      record({ status: 400, outcome: "bad_request", errors: [message] });
      return send(response, 400, { errors: [{ message }] });
    }
    const variables =
      typeof body.variables === "object" && body.variables !== null ? (body.variables as Record<string, unknown>) : {};
    const operationName = typeof body.operationName === "string" ? body.operationName : null;
    if (typeof body.query !== "string" || body.query.trim() === "") {
      const message = "Must provide query string.";
      record({ status: 400, outcome: "bad_request", variables, errors: [message] });
      return send(response, 400, { errors: [{ message }] });
    }

    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (cause) {
      const error = cause as GraphQLError;
      record({ status: 200, outcome: "invalid_document", variables, errors: [error.message] });
      return send(response, 200, {
        errors: [{ ...error.toJSON(), extensions: { code: "GRAPHQL_PARSE_FAILED" } }],
      });
    }
    const operation = getOperationAST(document, operationName);
    const described = {
      operationName: operation?.name?.value ?? null,
      fields: rootFields(operation),
      variables,
    };
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      record({
        ...described,
        status: 200,
        outcome: "invalid_document",
        errors: validationErrors.map((error) => error.message),
      });
      return send(response, 200, {
        errors: validationErrors.map((error) => ({
          ...error.toJSON(),
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        })),
      });
    }
    if (!isAuthorized(request)) {
      record({ ...described, status: 200, outcome: "unauthorized", errors: ["Not Authorized"] });
      return send(response, 200, {
        data: null,
        errors: [{ message: "Not Authorized", locations: [], path: described.fields.slice(0, 1) }],
      });
    }
    if (operation?.operation === "subscription") {
      const message = "Subscriptions are served over WebSocket, which the fake Railway does not speak";
      record({ ...described, status: 200, outcome: "errors", errors: [message] });
      return send(response, 200, { errors: [{ message }] });
    }

    const supported = operation?.operation === "mutation" ? mutationRoot : queryRoot;
    const unsupported = described.fields.filter((field) => !(field in supported) && !field.startsWith("__"));
    if (unsupported.length > 0) {
      const message = `${unsupported.join(", ")} is not supported by the fake Railway`;
      record({ ...described, status: 200, outcome: "errors", errors: [message] });
      return send(response, 200, { data: null, errors: [{ message }] });
    }
    const result = await execute({
      schema,
      document,
      rootValue: supported,
      variableValues: variables,
      operationName,
    });
    const errors = (result.errors ?? []).map((error) => error.message);
    record({ ...described, status: 200, outcome: errors.length > 0 ? "errors" : "ok", errors });
    return send(response, 200, result);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((cause: unknown) => {
      if (!response.headersSent) {
        send(response, 500, { errors: [{ message: `fake Railway failed: ${(cause as Error).message}` }] });
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}/graphql/v2`,
    token,
    projectId: world.projectId,
    environmentId: world.environmentId,
    requests,
    requestsFor: (field) => requests.filter((request) => request.fields.includes(field)),
    state: () => ({
      services: [...world.services.values()].map((service) => ({
        id: service.id,
        name: service.name,
        image: service.image,
        variables: { ...service.variables },
        healthcheckPath: service.healthcheckPath,
        restartPolicyType: service.restartPolicyType,
        restartPolicyMaxRetries: service.restartPolicyMaxRetries,
        vCPUs: service.vCPUs,
        memoryGB: service.memoryGB,
      })),
      volumes: [...world.volumes.values()].map(({ id, serviceId, mountPath }) => ({ id, serviceId, mountPath })),
      domains: [...world.domains.values()].map(({ id, serviceId, domain }) => ({ id, serviceId, domain })),
      deployments: [...world.deployments.values()].map((deployment) => ({
        id: deployment.id,
        serviceId: deployment.serviceId,
        status: deployment.status,
        running: deployment.container !== undefined,
      })),
    }),
    deploymentLogs: (deploymentId) => [...(world.deployments.get(deploymentId)?.logs ?? [])],
    rateLimitNext(count, seconds = 1) {
      rateLimited = count;
      retryAfterSeconds = seconds;
    },
    htmlErrorNext(count, status = 403) {
      htmlPages = count;
      htmlStatus = status;
    },
    crashNextDeployment: () => world.armCrashes(1),
    crashDeploymentsOf: (part) => world.crashDeploymentsOf(part),
    failOperation(field, afterCalls = 0, message = "Problem processing request") {
      failures.set(field, { remainingSuccesses: afterCalls, message });
    },
    crash: (serviceId) => world.crash(serviceId),
    appendLog(serviceId, message, severity = "info") {
      const latest = world.latestDeployment(serviceId);
      if (!latest) throw new Error(`fake Railway: service ${serviceId} has no deployment to log to`);
      world.appendLog(latest, message, severity);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await world.close();
    },
  };
}
