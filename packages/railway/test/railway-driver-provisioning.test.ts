import { EngineError } from "@agentbot/engine";
import type { EngineDriver } from "@agentbot/engine";
import { afterEach, describe, expect, it } from "vitest";
import { createRailwayClient } from "../src/index.ts";
import { startFakeRailwayServer } from "../src/testing/index.ts";
import type { FakeRailwayServer } from "../src/testing/index.ts";
import { driverFor, testSpec } from "./railway-fixtures.ts";

// Railway-specific behaviour of the driver, over real HTTP against the local Railway: what it sends, how it survives
// Railway's failure modes (rate limits, HTML pages, crashes, a failing step) and that a failed create leaves nothing.
const servers: FakeRailwayServer[] = [];
const drivers: EngineDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup() {
  const server = await startFakeRailwayServer({ phaseMs: 5, healthPollMs: 20 });
  servers.push(server);
  const driver = driverFor(server);
  drivers.push(driver);
  return { server, driver };
}

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

function expectNothingLeft(server: FakeRailwayServer) {
  const state = server.state();
  expect(state.services).toEqual([]);
  expect(state.volumes).toEqual([]);
  expect(state.domains).toEqual([]);
  expect(state.deployments.filter((deployment) => deployment.running)).toEqual([]);
}

function expectEveryDocumentValid(server: FakeRailwayServer) {
  expect(server.requests.filter((request) => request.outcome === "invalid_document")).toEqual([]);
}

describe("Railway driver: what create sends", () => {
  it("sends exactly spec.env plus the documented runtime variables, in serviceCreate, and configures the service", async () => {
    const { server, driver } = await setup();
    const spec = testSpec({ env: { OPENCLAW_GATEWAY_TOKEN: "g".repeat(43), OPENROUTER_API_KEY: "sk-or-test" } });
    const steps: string[] = [];
    const ref = await driver.create(spec, { onProgress: (step) => steps.push(step) });

    const expectedVariables = {
      OPENCLAW_GATEWAY_TOKEN: "g".repeat(43),
      OPENROUTER_API_KEY: "sk-or-test",
      AGENTBOT_OPENCLAW_CONFIG: spec.openclawConfig,
      OPENCLAW_STATE_DIR: "/data/.openclaw",
      NODE_OPTIONS: "--max-old-space-size=1536",
      PORT: "18789",
    };
    const [serviceCreate, ...more] = server.requestsFor("serviceCreate");
    expect(more).toEqual([]);
    expect(serviceCreate?.variables).toEqual({
      input: {
        projectId: server.projectId,
        environmentId: server.environmentId,
        name: `agentbot-${spec.name}.${spec.agentId}`,
        source: { image: "ghcr.io/agentbot/runtime:2026.9.6" },
        variables: expectedVariables,
      },
    });
    // Nothing is added to the service's variables later (creating the service deployed it already).
    expect(server.requestsFor("variableCollectionUpsert")).toEqual([]);
    expect(server.state().services[0]?.variables).toEqual(expectedVariables);

    expect(server.requestsFor("serviceInstanceUpdate")[0]?.variables).toMatchObject({
      serviceId: ref.serviceId,
      input: { healthcheckPath: "/healthz", restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 3 },
    });
    expect(server.requestsFor("serviceInstanceLimitsUpdate")[0]?.variables).toEqual({
      input: { serviceId: ref.serviceId, environmentId: server.environmentId, vCPUs: 1, memoryGB: 2 },
    });
    expect(server.requestsFor("volumeCreate")[0]?.variables).toMatchObject({ input: { mountPath: "/data" } });
    expect(server.requestsFor("serviceDomainCreate")[0]?.variables).toMatchObject({ input: { targetPort: 18789 } });
    expect(server.requestsFor("serviceInstanceDeployV2")).toHaveLength(1);
    expect(steps).toEqual(
      expect.arrayContaining(["service.create", "service.configure", "volume.create", "domain.create", "deploy"]),
    );
    expect(ref.data).toMatchObject({
      volumeId: server.state().volumes[0]?.id,
      domain: server.state().domains[0]?.domain,
    });
    expectEveryDocumentValid(server);
  });

  it("redeploy switches the image, replaces the variables without a deploy of their own, then deploys once", async () => {
    const { server, driver } = await setup();
    const spec = testSpec();
    const ref = await driver.create(spec);
    const next = testSpec({ agentId: spec.agentId, name: spec.name, runtimeVersion: "2026.10.1" });
    const deploysBefore = server.requestsFor("serviceInstanceDeployV2").length;
    await driver.redeploy(ref, next);
    expect(server.requestsFor("serviceInstanceUpdate").at(-1)?.variables).toMatchObject({
      input: { source: { image: "ghcr.io/agentbot/runtime:2026.10.1" } },
    });
    expect(server.requestsFor("variableCollectionUpsert")[0]?.variables).toMatchObject({
      input: { serviceId: ref.serviceId, replace: true, skipDeploys: true, variables: { ...next.env, PORT: "18789" } },
    });
    expect(server.requestsFor("serviceInstanceDeployV2")).toHaveLength(deploysBefore + 1);
    expect(server.state().services[0]?.variables.OPENCLAW_GATEWAY_TOKEN).toBe(next.env.OPENCLAW_GATEWAY_TOKEN);
    expectEveryDocumentValid(server);
  });
});

describe("Railway driver: Railway's failure modes", () => {
  it("waits out a 429 with Retry-After in the middle of provisioning, and create still succeeds", async () => {
    const { server, driver } = await setup();
    const ref = await driver.create(testSpec(), {
      onProgress: (step) => {
        if (step === "volume.create") server.rateLimitNext(1, 1);
      },
    });
    expect((await driver.status(ref)).state).toBe("running");
    const limited = server.requests.findIndex((request) => request.outcome === "rate_limited");
    expect(limited).toBeGreaterThan(0);
    const retried = server.requests[limited + 1];
    expect(retried?.fields).toEqual(["volumeCreate"]);
    expect(retried?.outcome).toBe("ok");
    // Retry-After: 1 was honoured (the client would otherwise retry after 250–500 ms).
    expect((retried?.at ?? 0) - (server.requests[limited]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(server.state().volumes).toHaveLength(1);
  });

  for (const status of [403, 200] as const) {
    it(`an HTML "Access denied" page (HTTP ${status}) fails create as a retryable engine_error, token-free, leaving nothing`, async () => {
      const { server, driver } = await setup();
      const error = await failure(
        driver.create(testSpec(), {
          onProgress: (step) => {
            if (step === "domain.create") server.htmlErrorNext(1, status);
          },
        }),
      );
      expect(error.code).toBe("engine_error");
      expect(error.retryable).toBe(true);
      expect(error.message).toContain("domain.create");
      expect(error.message).toContain("Access denied");
      expect(error.message).not.toContain(server.token);
      expect(JSON.stringify(error.cause ?? null)).not.toContain(server.token);
      expectNothingLeft(server);
    });
  }

  it("a deployment that ends CRASHED fails create with a readable message and deletes the service and volume", async () => {
    const { server, driver } = await setup();
    const spec = testSpec();
    server.crashDeploymentsOf(spec.name);
    const error = await failure(driver.create(spec));
    expect(error.code).toBe("engine_error");
    expect(error.message).toMatch(/deployment \S+ ended CRASHED/);
    expect(server.requestsFor("serviceDelete")).toHaveLength(1);
    expect(server.requestsFor("volumeDelete")).toHaveLength(1);
    expectNothingLeft(server);
    expect(await driver.list()).toEqual([]);
  });

  it("a runtime that refuses its configuration (exit 78) fails create as invalid_config, leaving nothing", async () => {
    const { server, driver } = await setup();
    const error = await failure(driver.create(testSpec({ openclawConfig: JSON.stringify({ unknownKey: true }) })));
    expect(error.code).toBe("invalid_config");
    expect(error.message).toContain("exit code 78");
    expectNothingLeft(server);
  });

  for (const field of ["volumeCreate", "serviceDomainCreate"] as const) {
    it(`a failure halfway through (${field}) is compensated: nothing is left`, async () => {
      const { server, driver } = await setup();
      server.failOperation(field, 0, "failure halfway through");
      const error = await failure(driver.create(testSpec()));
      expect(error.code).toBe("engine_error");
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(field === "volumeCreate" ? "volume.create" : "domain.create");
      expect(error.message).toContain("failure halfway through");
      expectNothingLeft(server);
      expectEveryDocumentValid(server);
    });
  }

  it("an aborted create removes what it made and answers a retryable engine_error", async () => {
    const { server, driver } = await setup();
    const controller = new AbortController();
    const error = await failure(
      driver.create(testSpec(), {
        signal: controller.signal,
        onProgress: (step) => {
          if (step === "domain.create") controller.abort();
        },
      }),
    );
    expect(error.code).toBe("engine_error");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("aborted");
    expectNothingLeft(server);
  });

  it("a refused token fails with a non-retryable engine_error that does not contain the token", async () => {
    const { server } = await setup();
    const driver = driverFor(server, { token: "not-the-railway-token-0123456789" });
    drivers.push(driver);
    const error = await failure(driver.create(testSpec()));
    expect(error.code).toBe("engine_error");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("Not Authorized");
    expect(error.message).not.toContain("not-the-railway-token-0123456789");
  });
});

describe("Railway driver: list() for the reconciler", () => {
  it("finds agentbot services it did not create, with and without an agent id, and ignores other services", async () => {
    const { server, driver } = await setup();
    const client = createRailwayClient({ token: server.token, endpoint: server.endpoint });
    for (const name of ["agentbot-lost.agt_0123456789abcdef", "agentbot-orphan", "postgres"]) {
      await client.request("serviceCreate", {
        input: { projectId: server.projectId, environmentId: server.environmentId, name },
      });
    }
    const listed = await driver.list();
    expect(listed.map((workload) => workload.agentId).sort()).toEqual(["agt_0123456789abcdef", null].sort());
    for (const workload of listed) {
      expect(workload.createdAt).toBeInstanceOf(Date);
      expect(server.state().services.map((service) => service.id)).toContain(workload.ref.serviceId);
    }
    // The orphan can be deleted through its listed ref.
    const orphan = listed.find((workload) => workload.agentId === null);
    if (!orphan) throw new Error("the orphan was not listed");
    await driver.delete(orphan.ref);
    expect(
      server
        .state()
        .services.map((service) => service.name)
        .sort(),
    ).toEqual(["agentbot-lost.agt_0123456789abcdef", "postgres"]);
  });
});
