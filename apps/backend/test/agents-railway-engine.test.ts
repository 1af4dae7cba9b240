import { routes } from "@agentbot/contracts";
import { createRailwayDriver } from "@agentbot/railway";
import { startFakeRailwayServer } from "@agentbot/railway/testing";
import type { FakeRailwayServer } from "@agentbot/railway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

// The whole provisioning flow on the Railway engine: the backend's driver talks real GraphQL over HTTP to the local
// Railway built from Railway's schema, whose deployments run the fake OpenClaw runtime.

let railway: FakeRailwayServer;
let backend: AgentsBackend;

beforeAll(async () => {
  railway = await startFakeRailwayServer({ phaseMs: 5, healthPollMs: 20 });
  backend = await startAgentsBackend({
    driver: () =>
      createRailwayDriver({
        endpoint: railway.endpoint,
        token: railway.token,
        projectId: railway.projectId,
        environmentId: railway.environmentId,
        // The local Railway's domains are loopback host:port over plain HTTP.
        publicUrlForDomain: (domain) => `http://${domain}`,
        pollIntervalMs: 25,
        deployTimeoutMs: 20_000,
      }),
  });
});
afterAll(async () => {
  await backend?.close();
  await railway?.close();
});

const create = (userId: string, name: string) =>
  backend.client.call(routes.provisionAgent, {
    body: { userId, idempotencyKey: `railway-${name}`, name, modelProvider: "platform", model: "m", channels: {} },
  });

describe("provisioning on the Railway engine", () => {
  it("creates the service with the plan's limits, a /data volume and a domain on 18789, and reaches running", async () => {
    const userId = await backend.createUser({ plan: "collective" });
    const accepted = await create(userId, "on-railway");
    const agent = await backend.waitForStatus(accepted.agent.id, ["running", "failed"]);
    expect(agent.status, agent.failureMessage ?? "").toBe("running");
    const state = railway.state();
    const service = state.services.find((candidate) => candidate.id === agent.engineServiceId);
    expect(service).toMatchObject({ healthcheckPath: "/healthz", vCPUs: 2, memoryGB: 4 });
    expect(service?.variables["OPENCLAW_STATE_DIR"]).toBe("/data/.openclaw");
    expect(JSON.parse(service!.variables["AGENTBOT_OPENCLAW_CONFIG"]!)).toHaveProperty("gateway");
    expect(state.volumes.find((volume) => volume.serviceId === service!.id)?.mountPath).toBe("/data");
    expect(agent.url).toBe(`http://${state.domains.find((domain) => domain.serviceId === service!.id)?.domain}`);
    // No platform secret among the service's variables.
    const variables = JSON.stringify(service?.variables);
    expect(variables).not.toContain(backend.token);
    expect(variables).not.toContain(backend.databaseUrl);
    expect(variables).not.toContain(backend.encryptionKeys.split(":")[1]);

    await backend.client.call(routes.deleteAgent, { params: { userId, agentId: agent.id } });
    await backend.waitForStatus(agent.id, ["deleted"]);
    const after = railway.state();
    expect(after.services.some((candidate) => candidate.id === service!.id)).toBe(false);
    expect(after.volumes.some((volume) => volume.serviceId === service!.id)).toBe(false);
  });

  it("fails a deployment that ends CRASHED with a readable reason and leaves nothing on Railway", async () => {
    const userId = await backend.createUser();
    const servicesBefore = railway.state().services.length;
    railway.crashDeploymentsOf("crashes");
    const accepted = await create(userId, "crashes");
    const agent = await backend.waitForStatus(accepted.agent.id, ["failed", "running"]);
    expect(agent.status).toBe("failed");
    expect(agent.failureReason).toBe("engine_error");
    expect(agent.failureMessage).toMatch(/CRASHED/);
    expect(railway.state().services).toHaveLength(servicesBefore);
    expect(railway.state().volumes.filter((volume) => volume.serviceId === null)).toEqual([]);
  });
});
