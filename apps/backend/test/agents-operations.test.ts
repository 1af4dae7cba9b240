import type { BackendError } from "@agentbot/client";
import { routes } from "@agentbot/contracts";
import type { ChatStreamEvent } from "@agentbot/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

let backend: AgentsBackend;
let userId: string;
let agentId: string;

beforeAll(async () => {
  backend = await startAgentsBackend();
  userId = await backend.createUser();
  const accepted = await backend.client.call(routes.provisionAgent, {
    body: {
      userId,
      idempotencyKey: "operations-agent",
      name: "ops",
      modelProvider: "platform",
      model: "openclaw/default",
      channels: {},
    },
  });
  agentId = accepted.agent.id;
  await backend.waitForStatus(agentId, ["running"]);
});
afterAll(async () => {
  await backend?.close();
});

const act = (action: Parameters<typeof backend.client.agentAction>[2]) =>
  backend.client.call(routes.agentAction, { params: { userId, agentId }, body: action });

async function probe(url: string) {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return response.status;
  } catch {
    return 0;
  }
}

describe("operating an agent", () => {
  it("stops, starts and restarts the runtime, each recorded on the timeline", async () => {
    const { url } = await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    await act({ action: "stop" });
    await backend.waitForStatus(agentId, ["stopped"]);
    expect(await probe(url!)).toBe(0);

    await act({ action: "start" });
    const started = await backend.waitForStatus(agentId, ["running"]);
    expect(await probe(started.url!)).toBe(200);

    await act({ action: "restart" });
    const restarted = await backend.waitForStatus(agentId, ["running"]);
    expect(await probe(restarted.url!)).toBe(200);

    const detail = await backend.client.call(routes.getAgent, { params: { userId, agentId } });
    const types = detail.events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["engine.stopped", "engine.started", "engine.restarted"]));
    expect(detail.operations.slice(0, 4).map((operation) => [operation.kind, operation.status])).toEqual([
      ["restart", "succeeded"],
      ["start", "succeeded"],
      ["stop", "succeeded"],
      ["provision", "succeeded"],
    ]);
  });

  it("redeploys with another runtime version on the same state", async () => {
    await act({ action: "redeploy", runtimeVersion: "2026.10.1" });
    const agent = await backend.waitForStatus(agentId, ["running"]);
    expect(agent.runtimeVersion).toBe("2026.10.1");
    const link = await backend.client.call(routes.getAgentControlUi, { params: { userId, agentId } });
    const token = decodeURIComponent(link.url.split("#token=")[1]!);
    const startup = await fetch(`${agent.url}/startupz`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await startup.json()) as { version: string }).version).toBe("2026.10.1");
  });

  it("streams live status changes: a restart is seen going restarting → running", async () => {
    const abort = new AbortController();
    const stream = await backend.client.streamAgentEvents(userId, { agentId }, { signal: abort.signal });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const update of stream) {
        seen.push(update.event ? `${update.event.type}:${update.agent.status}` : `state:${update.agent.status}`);
        if (update.event?.type === "status.running") break;
      }
    })();
    await act({ action: "restart" });
    await reading;
    abort.abort();
    expect(seen[0]).toBe("state:running"); // the current state comes first
    expect(seen).toContain("operation.started:restarting");
    expect(seen.at(-1)).toBe("status.running:running");
    await backend.waitForStatus(agentId, ["running"]);
  });

  it("runs one operation per agent at a time: a second one at once gets 409", async () => {
    const results = await Promise.allSettled([act({ action: "restart" }), act({ action: "restart" })]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    const rejected = results.filter((result) => result.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const error = (rejected[0] as PromiseRejectedResult).reason as BackendError;
    expect(error.status).toBe(409);
    expect(error.code).toBe("conflict");
    await backend.waitForStatus(agentId, ["running"]);
  });

  it("streams a chat reply through the runtime's OpenAI-compatible endpoint", async () => {
    const events: ChatStreamEvent[] = [];
    for await (const event of await backend.client.chatWithAgent(userId, agentId, { message: "hello there" })) {
      events.push(event);
    }
    const done = events.at(-1);
    expect(done?.type).toBe("done");
    expect(events.filter((event) => event.type === "delta").length).toBeGreaterThan(0);
    expect(done?.type === "done" && done.reply).toContain("hello there");
  });

  it("returns recent log lines with the agent's secrets redacted", async () => {
    const link = await backend.client.call(routes.getAgentControlUi, { params: { userId, agentId } });
    const token = decodeURIComponent(link.url.split("#token=")[1]!);
    const { lines } = await backend.client.call(routes.getAgentLogs, {
      params: { userId, agentId },
      query: { limit: 500 },
    });
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.map((line) => line.text).join("\n");
    expect(text).not.toContain(token);
  });

  it("deletes the agent: runtime and state removed, record kept as deleted", async () => {
    const before = await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    await backend.client.call(routes.deleteAgent, { params: { userId, agentId } });
    const deleted = await backend.waitForStatus(agentId, ["deleted"]);
    expect(deleted.deletedAt).not.toBeNull();
    expect(deleted.engineServiceId).toBeNull();
    expect(await probe(before.url!)).toBe(0);
    expect((await backend.driver.list()).some((workload) => workload.agentId === agentId)).toBe(false);
    const list = await backend.client.call(routes.listAgents, { params: { userId }, query: {} });
    expect(list.agents.map((agent) => agent.id)).not.toContain(agentId);
    const withDeleted = await backend.client.call(routes.listAgents, {
      params: { userId },
      query: { includeDeleted: "true" },
    });
    expect(withDeleted.agents.find((agent) => agent.id === agentId)?.status).toBe("deleted");
    expect(await backend.services.slots.holders()).toEqual([]);
    // A page that still shows the agent as deleting learns from a new stream's first message that it is gone.
    const abort = new AbortController();
    const stream = await backend.client.streamAgentEvents(userId, {}, { signal: abort.signal });
    let first;
    for await (const update of stream) {
      first = update;
      break;
    }
    abort.abort();
    expect(first?.agent).toMatchObject({ id: agentId, status: "deleted" });
  });
});
