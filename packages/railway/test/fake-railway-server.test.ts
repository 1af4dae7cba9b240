import { afterEach, describe, expect, it } from "vitest";
import { createRailwayClient, railwayOperations } from "../src/index.ts";
import { startFakeRailwayServer } from "../src/testing/index.ts";
import type { FakeRailwayServer } from "../src/testing/index.ts";

// The fake Railway speaks the protocol our client and driver rely on; these tests hold it to that with raw HTTP, so a
// fake that accepted anything could not pass them.
const servers: FakeRailwayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake() {
  const server = await startFakeRailwayServer({ phaseMs: 5, healthPollMs: 20 });
  servers.push(server);
  return server;
}

async function post(server: FakeRailwayServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(server.endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${server.token}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("fake Railway server", () => {
  it("refuses a document Railway's schema does not allow, with errors[] and no data", async () => {
    const server = await fake();
    const broken = railwayOperations.deploymentStatus.replace("statusUpdatedAt", "statusUpdatedAtt");
    const answer = await post(server, { query: broken, variables: { id: "d1" } });
    expect(answer.status).toBe(200);
    const body = answer.json() as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.message).toContain('Cannot query field "statusUpdatedAtt" on type "Deployment"');
    expect(body.errors[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(server.requests.at(-1)).toMatchObject({ operationName: "DeploymentStatus", outcome: "invalid_document" });
  });

  it("refuses a wrong variable type and a syntax error", async () => {
    const server = await fake();
    const wrongType = railwayOperations.deploymentRestart.replace("$id: String!", "$id: Int!");
    expect(
      ((await post(server, { query: wrongType, variables: { id: 1 } })).json() as { errors: [] }).errors,
    ).not.toEqual([]);
    const syntax = await post(server, { query: "mutation { serviceDelete(id: " });
    expect(syntax.json()).toMatchObject({ errors: [{ extensions: { code: "GRAPHQL_PARSE_FAILED" } }] });
    expect((await post(server, "not json")).status).toBe(400);
  });

  it("answers Not Authorized without the right token, and accepts a project token header", async () => {
    const server = await fake();
    const query = railwayOperations.environmentVolumeInstances;
    const variables = { environmentId: server.environmentId };
    const none = await post(server, { query, variables }, { authorization: "" });
    expect(none.json()).toMatchObject({ data: null, errors: [{ message: "Not Authorized" }] });
    const wrong = await post(server, { query, variables }, { authorization: `Bearer ${server.token}x` });
    expect(wrong.json()).toMatchObject({ errors: [{ message: "Not Authorized" }] });
    const project = await post(
      server,
      { query, variables },
      { authorization: "", "project-access-token": server.token },
    );
    expect(project.json()).toMatchObject({ data: { environment: { volumeInstances: { edges: [] } } } });
  });

  it("rate limits with Retry-After and X-RateLimit headers, and serves HTML error pages on demand", async () => {
    const server = await fake();
    server.rateLimitNext(1, 7);
    const limited = await post(server, { query: railwayOperations.deploymentRestart, variables: { id: "x" } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(limited.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);

    server.htmlErrorNext(1, 200);
    const page = await post(server, { query: railwayOperations.deploymentRestart, variables: { id: "x" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("Access denied");
    expect(server.requests.map((request) => request.outcome)).toEqual(["rate_limited", "html_page"]);
  });

  it("deploys a service created from an image: the deployment succeeds and the domain reaches the runtime", async () => {
    const server = await fake();
    const client = createRailwayClient({ token: server.token, endpoint: server.endpoint });
    const created = (await client.request("serviceCreate", {
      input: {
        projectId: server.projectId,
        environmentId: server.environmentId,
        name: "plain-service",
        source: { image: "ghcr.io/agentbot/runtime:1.2.3" },
        variables: { OPENCLAW_GATEWAY_TOKEN: "t".repeat(40), PORT: "18789" },
      },
    })) as { serviceCreate: { id: string } };
    const serviceId = created.serviceCreate.id;
    const domain = (await client.request("serviceDomainCreate", {
      input: { serviceId, environmentId: server.environmentId, targetPort: 18789 },
    })) as { serviceDomainCreate: { domain: string } };
    await waitFor("the first deployment to succeed", () =>
      server.state().deployments.find((deployment) => deployment.status === "SUCCESS"),
    );
    const startup = await waitFor("/startupz through the domain", async () => {
      const response = await fetch(`http://${domain.serviceDomainCreate.domain}/startupz`).catch(() => undefined);
      return response?.status === 200 ? ((await response.json()) as { version: string }) : undefined;
    });
    expect(startup.version).toBe("1.2.3");
    expect(server.requestsFor("serviceCreate")[0]?.variables).toMatchObject({ input: { name: "plain-service" } });

    await server.crash(serviceId);
    expect(server.state().deployments.map((deployment) => deployment.status)).toContain("CRASHED");
    const down = await fetch(`http://${domain.serviceDomainCreate.domain}/healthz`);
    expect(down.status).toBe(502);
  });

  it("crashes the next deployment on demand: CRASHED, no runtime, the domain answers 502", async () => {
    const server = await fake();
    const client = createRailwayClient({ token: server.token, endpoint: server.endpoint });
    server.crashNextDeployment();
    const created = (await client.request("serviceCreate", {
      input: { projectId: server.projectId, name: "doomed", source: { image: "ghcr.io/agentbot/runtime:1.2.3" } },
    })) as { serviceCreate: { id: string } };
    const crashed = await waitFor("the deployment to crash", () =>
      server.state().deployments.find((deployment) => deployment.status === "CRASHED"),
    );
    expect(crashed.running).toBe(false);
    expect(server.deploymentLogs(crashed.id).map((line) => line.message)).toContain("Container exited with code 1");
    // Only the next one: a new deployment of the same service runs.
    await client.request("serviceInstanceDeployV2", {
      serviceId: created.serviceCreate.id,
      environmentId: server.environmentId,
    });
    await waitFor("the next deployment to succeed", () =>
      server.state().deployments.find((deployment) => deployment.status === "SUCCESS"),
    );
  });

  it("injects a GraphQL error into an operation after the given number of calls", async () => {
    const server = await fake();
    const client = createRailwayClient({ token: server.token, endpoint: server.endpoint, maxAttempts: 1 });
    server.failOperation("serviceCreate", 1, "failure halfway through");
    const input = { projectId: server.projectId, name: "one" };
    await expect(client.request("serviceCreate", { input })).resolves.toBeDefined();
    await expect(client.request("serviceCreate", { input })).rejects.toMatchObject({
      kind: "graphql",
      message: expect.stringContaining("failure halfway through") as string,
    });
    await expect(client.request("serviceCreate", { input })).resolves.toBeDefined();
    expect(server.state().services).toHaveLength(2);
  });
});
