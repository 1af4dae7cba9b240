import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createRailwayClient, parseRetryAfter, RailwayError } from "../src/index.ts";

// A local HTTP peer standing in for backboard.railway.com: it answers each request from a script of responses,
// the way Railway does (JSON GraphQL answers, 429 with Retry-After, an HTML "Access denied" page).
type Step = (res: ServerResponse, body: { query: string; variables: Record<string, unknown> }) => void;
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function railwayPeer(steps: Step[]) {
  const seen: Array<{
    headers: IncomingMessage["headers"];
    body: { query: string; variables: Record<string, unknown> };
  }> = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as { query: string; variables: Record<string, unknown> };
      seen.push({ headers: req.headers, body });
      const step = steps[Math.min(seen.length - 1, steps.length - 1)];
      step?.(res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/v2`, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (res) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

function clientFor(endpoint: string, extra: Partial<Parameters<typeof createRailwayClient>[0]> = {}) {
  const sleeps: number[] = [];
  const client = createRailwayClient({
    token: "railway-secret-token-123",
    endpoint,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...extra,
  });
  return { client, sleeps };
}

describe("createRailwayClient", () => {
  it("sends the document, variables and bearer token, and returns data", async () => {
    const peer = await railwayPeer([json(200, { data: { serviceCreate: { id: "svc_1", name: "agent-1" } } })]);
    const { client } = clientFor(peer.endpoint);
    const data = await client.request("serviceCreate", { input: { projectId: "p", name: "agent-1" } });
    expect(data).toEqual({ serviceCreate: { id: "svc_1", name: "agent-1" } });
    expect(peer.seen[0]?.headers.authorization).toBe("Bearer railway-secret-token-123");
    expect(peer.seen[0]?.body.query).toContain("serviceCreate(input: $input)");
    expect(peer.seen[0]?.body.variables).toEqual({ input: { projectId: "p", name: "agent-1" } });
  });

  it("uses the Project-Access-Token header for project tokens", async () => {
    const peer = await railwayPeer([json(200, { data: { deploymentRestart: true } })]);
    const { client } = clientFor(peer.endpoint, { tokenKind: "project" });
    await client.request("deploymentRestart", { id: "d1" });
    expect(peer.seen[0]?.headers["project-access-token"]).toBe("railway-secret-token-123");
    expect(peer.seen[0]?.headers.authorization).toBeUndefined();
  });

  it("waits as long as Retry-After says on 429, then succeeds", async () => {
    const peer = await railwayPeer([
      json(429, { errors: [{ message: "rate limited" }] }, { "retry-after": "3" }),
      json(200, { data: { deploymentRestart: true } }),
    ]);
    const { client, sleeps } = clientFor(peer.endpoint);
    await expect(client.request("deploymentRestart", { id: "d1" })).resolves.toEqual({ deploymentRestart: true });
    expect(sleeps).toEqual([3000]);
    expect(peer.seen).toHaveLength(2);
  });

  it("backs off exponentially on gateway errors and gives up after maxAttempts", async () => {
    const peer = await railwayPeer([(res) => res.writeHead(503).end("upstream down")]);
    const { client, sleeps } = clientFor(peer.endpoint, { maxAttempts: 4, baseDelayMs: 100 });
    const error = (await client.request("deploymentRestart", { id: "d1" }).catch((e: unknown) => e)) as RailwayError;
    expect(error).toBeInstanceOf(RailwayError);
    expect(error).toMatchObject({ kind: "http", status: 503 });
    expect(sleeps).toEqual([75, 150, 300]);
    expect(peer.seen).toHaveLength(4);
  });

  it("survives an HTML 'Access denied' page instead of JSON", async () => {
    const peer = await railwayPeer([
      (res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><h1>Access denied</h1></html>"),
    ]);
    const { client, sleeps } = clientFor(peer.endpoint);
    const error = (await client
      .request("environmentServiceInstances", { environmentId: "e" })
      .catch((e: unknown) => e)) as RailwayError;
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toContain("Access denied");
    expect(error.message).toContain("text/html");
    expect(sleeps).toEqual([]);
  });

  it("turns errors[] into a graphql error without retrying, and never puts the token in messages", async () => {
    const peer = await railwayPeer([
      json(200, { data: null, errors: [{ message: "Service not found", path: ["serviceDelete"] }] }),
    ]);
    const { client, sleeps } = clientFor(peer.endpoint);
    const error = (await client.request("serviceDelete", { id: "svc_x" }).catch((e: unknown) => e)) as RailwayError;
    expect(error).toMatchObject({
      kind: "graphql",
      graphqlErrors: [{ message: "Service not found", path: ["serviceDelete"] }],
    });
    expect(error.message).toContain("Service not found");
    expect(error.message).not.toContain("railway-secret-token-123");
    expect(sleeps).toEqual([]);
  });

  it("does not retry an authentication failure", async () => {
    const peer = await railwayPeer([json(401, { errors: [{ message: "Not Authorized" }] })]);
    const { client, sleeps } = clientFor(peer.endpoint);
    await expect(client.request("deploymentRestart", { id: "d1" })).rejects.toMatchObject({ kind: "graphql" });
    expect(sleeps).toEqual([]);
  });

  it("retries when the connection is refused, then reports a network error", async () => {
    const peer = await railwayPeer([json(200, { data: {} })]);
    for (const close of closers.splice(0)) close();
    const { client, sleeps } = clientFor(peer.endpoint, { maxAttempts: 2 });
    await expect(client.request("deploymentRestart", { id: "d1" })).rejects.toMatchObject({ kind: "network" });
    expect(sleeps).toHaveLength(1);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(parseRetryAfter("Tue, 24 Nov 2026 12:00:05 GMT", () => now)).toBe(5000);
  });
});
