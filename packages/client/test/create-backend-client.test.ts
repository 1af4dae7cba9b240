import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError, createBackendClient } from "../src/index.ts";

// A plain HTTP peer that answers however each test needs: the client's edge cases (non-JSON bodies,
// contract mismatches, dropped connections) are hard to provoke from the real backend.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Array<{ close: () => void }> = [];

async function serve(handler: Handler): Promise<{ baseUrl: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ close: () => server.close() });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const validPlans = {
  plans: [
    {
      id: "solo",
      name: "Solo",
      cpuMillicores: 1000,
      memoryMb: 2048,
      maxAgents: 1,
      description: "Trial",
      priceUsdCents: { month: 1900, year: 19000 },
    },
  ],
};

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("createBackendClient", () => {
  it("sends the bearer token to service routes and returns the validated body", async () => {
    const { baseUrl, seen } = await serve((_req, res) => sendJson(res, 200, validPlans));
    const client = createBackendClient({ baseUrl, token: "t".repeat(40), requestId: () => "req-1" });
    await expect(client.getPlans()).resolves.toEqual(validPlans);
    expect(seen[0]?.url).toBe("/api/plans");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${"t".repeat(40)}`);
    expect(seen[0]?.headers["x-request-id"]).toBe("req-1");
  });

  it("does not send the token to public probes", async () => {
    const { baseUrl, seen } = await serve((_req, res) => sendJson(res, 200, { status: "ok" }));
    await createBackendClient({ baseUrl, token: "secret-token-value-secret-token-value" }).getLiveness();
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("surfaces the backend's error code, message and details", async () => {
    const { baseUrl } = await serve((_req, res) =>
      sendJson(res, 401, { error: { code: "unauthorized", message: "missing bearer token" } }),
    );
    const error = await createBackendClient({ baseUrl })
      .getStatus()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized", message: "missing bearer token" });
  });

  it("returns documented alternate answers (readiness 503) instead of throwing", async () => {
    const notReady = {
      ready: false,
      failing: ["postgres"],
      checks: { postgres: { status: "fail", error: "connection refused" }, redis: { status: "in_process" } },
    };
    const { baseUrl } = await serve((_req, res) => sendJson(res, 503, notReady));
    await expect(createBackendClient({ baseUrl }).getReadiness()).resolves.toEqual(notReady);
  });

  it("rejects a success body that breaks the contract", async () => {
    const { baseUrl } = await serve((_req, res) => sendJson(res, 200, { plans: [{ id: "gold" }] }));
    await expect(createBackendClient({ baseUrl }).getPlans()).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("survives an HTML error page", async () => {
    const { baseUrl } = await serve((_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>"),
    );
    await expect(createBackendClient({ baseUrl }).getPlans()).rejects.toMatchObject({
      status: 502,
      code: "invalid_response",
    });
  });

  it("reports an unreachable backend without leaking the token", async () => {
    const token = "never-print-this-token-never-print-this";
    const { baseUrl } = await serve(() => undefined);
    for (const server of servers.splice(0)) server.close();
    const error = (await createBackendClient({ baseUrl, token, timeoutMs: 1000 })
      .getPlans()
      .catch((e: unknown) => e)) as BackendError;
    expect(error.code).toBe("backend_unreachable");
    expect(error.message).not.toContain(token);
  });
});
