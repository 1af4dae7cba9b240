import { routes } from "@agentbot/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

let backend: AgentsBackend;
beforeAll(async () => {
  backend = await startAgentsBackend({ startWorkers: false });
});
afterAll(async () => {
  await backend?.close();
});

describe("the route table", () => {
  it("mounts every route of the contract (none falls through to the unknown-route 404)", async () => {
    for (const route of Object.values(routes)) {
      // Path parameters stay literal (`:userId`): the handler then answers for a missing record, which proves it ran.
      const response = await fetch(`${backend.baseUrl}${route.path}`, {
        method: route.method.toUpperCase(),
        headers: { authorization: `Bearer ${backend.token}`, "content-type": "application/json" },
        ...("body" in route.request ? { body: "{}" } : {}),
      });
      // An event stream that opened proves the route is mounted; do not wait for it to end.
      const streaming = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
      if (streaming) await response.body?.cancel();
      const body = streaming ? "" : (await response.text()).slice(0, 300);
      expect(body, `${route.method} ${route.path}`).not.toContain("No route for");
      expect(response.status, `${route.method} ${route.path}: ${body}`).toBeLessThan(500);
    }
  });
});
