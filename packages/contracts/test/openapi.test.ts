import { describe, expect, it } from "vitest";
import { createOpenApiDocument } from "../src/openapi.ts";
import { toOpenApiPath } from "../src/route.ts";
import { routes } from "../src/routes/index.ts";

describe("OpenAPI document", () => {
  const document = createOpenApiDocument({ version: "1.2.3" });

  it("is OpenAPI 3.1 and lists every route in the contract", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.version).toBe("1.2.3");
    for (const route of Object.values(routes)) {
      const operation = document.paths?.[toOpenApiPath(route.path)]?.[route.method];
      expect(operation?.operationId, route.id).toBe(route.id);
    }
  });

  it("marks service routes with the bearer scheme and leaves the probes public", () => {
    expect(document.components?.securitySchemes?.serviceToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.paths?.["/api/status"]?.get?.security).toEqual([{ serviceToken: [] }]);
    expect(document.paths?.["/api/status"]?.get?.responses?.["401"]).toBeDefined();
    expect(document.paths?.["/healthz"]?.get?.security).toEqual([]);
    expect(document.paths?.["/healthz"]?.get?.responses?.["401"]).toBeUndefined();
  });

  it("documents the 503 readiness answer and the shared error shape as components", () => {
    expect(document.paths?.["/readyz"]?.get?.responses?.["503"]).toBeDefined();
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(["Error", "PlatformStatus", "Plan", "Readiness"]));
    expect(JSON.stringify(schemas["Plan"])).toContain("maxAgents");
  });

  it("says on the decision route that an API key cannot approve a Destructive command", () => {
    const decide = document.paths?.["/api/users/{userId}/approvals/{approvalId}/decision"]?.post;
    expect(decide?.description).toContain("reauthentication_required");
    expect(decide?.description).toContain("API key");
  });
});
