import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretsEqual } from "../src/http/service-auth.ts";
import { startTestBackend } from "./support/test-backend.ts";
import type { TestBackend } from "./support/test-backend.ts";

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.close();
});

async function errorOf(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("service-to-service auth", () => {
  it("refuses a request without a token with 401 and the standard error body", async () => {
    const response = await fetch(`${backend.baseUrl}/api/status`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await errorOf(response)).toMatchObject({ code: "unauthorized" });
  });

  it("refuses a wrong token, a token of another length and other schemes", async () => {
    const attempts = [
      `Bearer ${"a".repeat(backend.token.length)}`,
      `Bearer ${backend.token}x`,
      `Bearer ${backend.token.slice(0, -1)}`,
      `Basic ${Buffer.from(`user:${backend.token}`).toString("base64")}`,
      backend.token,
      "Bearer ",
    ];
    for (const authorization of attempts) {
      const response = await fetch(`${backend.baseUrl}/api/plans`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect((await errorOf(response)).code).toBe("unauthorized");
    }
  });

  it("accepts the right token", async () => {
    const response = await backend.authedFetch("/api/plans");
    expect(response.status).toBe(200);
  });

  it("leaves only the probes public", async () => {
    expect((await fetch(`${backend.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${backend.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${backend.baseUrl}/api/openapi.json`)).status).toBe(401);
  });

  it("answers unknown paths 401 without a token (no route enumeration) and 404 with one", async () => {
    expect((await fetch(`${backend.baseUrl}/api/nothing-here`)).status).toBe(401);
    const response = await backend.authedFetch("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({
      code: "not_found",
      message: "No route for GET /api/nothing-here.",
    });
  });

  it("rejects an anonymous body before parsing it", async () => {
    const response = await fetch(`${backend.baseUrl}/api/plans`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(401);
  });
});

describe("secretsEqual", () => {
  it("is exact and length-safe", () => {
    expect(secretsEqual("same-secret", "same-secret")).toBe(true);
    expect(secretsEqual("same-secret", "same-secreT")).toBe(false);
    expect(secretsEqual("short", "a much longer secret")).toBe(false);
    expect(secretsEqual("", "x")).toBe(false);
  });
});
