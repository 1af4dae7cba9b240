import { randomBytes } from "node:crypto";
import { describeEngineDriver } from "@agentbot/engine/testing";
import type { WorkloadSpec } from "@agentbot/engine";
import { createRailwayDriver } from "../src/index.ts";
import { startFakeRailwayServer } from "../src/testing/index.ts";
import type { FakeRailwayServer } from "../src/testing/index.ts";

// The shared EngineDriver contract, run against the Railway driver talking real HTTP to the local Railway (built
// from Railway's schema), whose deployments run the engine package's fake OpenClaw runtime as processes.

export function testSpec(overrides: Partial<WorkloadSpec> = {}): WorkloadSpec {
  const suffix = randomBytes(4).toString("hex");
  return {
    agentId: `agt_${randomBytes(13).toString("hex")}`,
    name: `agent-${suffix}`,
    runtimeVersion: "2026.9.6",
    resources: { cpuMillicores: 1000, memoryMb: 2048 },
    openclawConfig: JSON.stringify({
      gateway: { mode: "local", auth: { mode: "token" }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    }),
    env: { OPENCLAW_GATEWAY_TOKEN: randomBytes(32).toString("base64url") },
    ...overrides,
  };
}

export function driverFor(server: FakeRailwayServer, extra: Partial<Parameters<typeof createRailwayDriver>[0]> = {}) {
  return createRailwayDriver({
    endpoint: server.endpoint,
    token: server.token,
    projectId: server.projectId,
    environmentId: server.environmentId,
    publicUrlForDomain: (domain) => `http://${domain}`,
    pollIntervalMs: 25,
    deployTimeoutMs: 20_000,
    ...extra,
  } as Parameters<typeof createRailwayDriver>[0]);
}

describeEngineDriver("railway", async () => {
  const server = await startFakeRailwayServer({ phaseMs: 5, healthPollMs: 20 });
  const driver = driverFor(server);
  return {
    driver,
    makeSpec: testSpec,
    crash: (ref) => server.crash(ref.serviceId),
    cleanup: async () => {
      await driver.close();
      await server.close();
    },
  };
});
