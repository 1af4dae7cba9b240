import { routes, toOpenApiPath } from "@agentbot/contracts";
import { plans } from "@agentbot/plans";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBackend } from "./support/test-backend.ts";
import type { TestBackend } from "./support/test-backend.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.close();
});

describe("platform routes through the typed client", () => {
  it("serves the plans from the single plans table", async () => {
    const response = await backend.client.getPlans();
    expect(response.plans).toEqual(plans.map((plan) => ({ ...plan })));
    expect(response.plans.map((plan) => plan.name)).toEqual(["Solo", "Collective", "Label", "Network"]);
  });

  it("reports status with version, uptime and both dependencies up", async () => {
    const status = await backend.client.getStatus();
    expect(status).toMatchObject({
      status: "operational",
      version: "9.9.9-test",
      environment: "test",
      checks: { postgres: { status: "ok" }, redis: { status: "ok" } },
    });
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(5);
  });

  it("answers liveness", async () => {
    await expect(backend.client.getLiveness()).resolves.toEqual({ status: "ok" });
  });
});

describe("OpenAPI document", () => {
  it("is served as OpenAPI 3.1 and documents every route in the contract", async () => {
    const response = await backend.authedFetch("/api/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe("3.1.0");
    for (const route of Object.values(routes)) {
      expect(document.paths[toOpenApiPath(route.path)]?.[route.method], route.id).toBeDefined();
    }
  });
});
