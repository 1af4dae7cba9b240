import { randomBytes } from "node:crypto";
import type { WorkloadSpec } from "@agentbot/engine";
import { createRailwayDriver } from "../src/index.ts";
import type { RailwayDriverOptions } from "../src/index.ts";
import type { FakeRailwayServer } from "../src/testing/index.ts";

/** A spec the fake runtime accepts: a fresh agent id, name and gateway token each call. */
export function testSpec(overrides: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return {
    agentId: `agt_${randomBytes(13).toString("hex")}`,
    name: `agent-${randomBytes(4).toString("hex")}`,
    runtimeVersion: "2026.9.6",
    resources: { cpuMillicores: 1000, memoryMb: 2048 },
    openclawConfig: JSON.stringify({
      gateway: { mode: "local", auth: { mode: "token" }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    }),
    env: { OPENCLAW_GATEWAY_TOKEN: randomBytes(32).toString("base64url") },
    ...overrides,
  };
}

/** The driver against the fake Railway: its domains are loopback `host:port`, served over plain HTTP. */
export function driverFor(server: FakeRailwayServer, extra: Partial<RailwayDriverOptions> = {}) {
  return createRailwayDriver({
    endpoint: server.endpoint,
    token: server.token,
    projectId: server.projectId,
    environmentId: server.environmentId,
    publicUrlForDomain: (domain) => `http://${domain}`,
    pollIntervalMs: 25,
    deployTimeoutMs: 20_000,
    ...extra,
  } as RailwayDriverOptions);
}
