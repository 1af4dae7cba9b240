import { BackendError } from "@agentbot/client";
import { routes } from "@agentbot/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

// Insecure direct object reference: every agent route is scoped to the acting user in its path. Another user's
// agent must be indistinguishable from one that does not exist (404, not 403), and nothing may change.

let backend: AgentsBackend;
let owner: string;
let intruder: string;
let agentId: string;

beforeAll(async () => {
  backend = await startAgentsBackend();
  owner = await backend.createUser();
  intruder = await backend.createUser();
  const accepted = await backend.client.call(routes.provisionAgent, {
    body: {
      userId: owner,
      idempotencyKey: "idor-owner-agent",
      name: "mine",
      modelProvider: "platform",
      model: "m",
      channels: {},
    },
  });
  agentId = accepted.agent.id;
  await backend.waitForStatus(agentId, ["running"]);
});
afterAll(async () => {
  await backend?.close();
});

async function expectNotFound(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BackendError);
  expect((error as BackendError).status).toBe(404);
  expect((error as BackendError).code).toBe("not_found");
}

describe("another user's agent answers 404 on every route", () => {
  const params = () => ({ userId: intruder, agentId });

  it("get, logs, control UI", async () => {
    await expectNotFound(backend.client.call(routes.getAgent, { params: params() }));
    await expectNotFound(backend.client.call(routes.getAgentLogs, { params: params(), query: {} }));
    await expectNotFound(backend.client.call(routes.getAgentControlUi, { params: params() }));
  });

  it("actions and delete change nothing", async () => {
    for (const action of ["stop", "start", "restart", "redeploy"] as const) {
      await expectNotFound(backend.client.call(routes.agentAction, { params: params(), body: { action } }));
    }
    await expectNotFound(backend.client.call(routes.deleteAgent, { params: params() }));
    const agent = await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(agent.status).toBe("running");
    expect(await backend.db.agentOperation.count({ where: { agentId } })).toBe(1);
  });

  it("streams: chat, log follow and live events refuse before streaming", async () => {
    const consume = async (opening: Promise<AsyncIterable<unknown>>) => {
      for await (const _event of await opening) break;
    };
    await expectNotFound(consume(backend.client.chatWithAgent(intruder, agentId, { message: "hi" })));
    await expectNotFound(consume(backend.client.followAgentLogs(intruder, agentId)));
    await expectNotFound(consume(backend.client.streamAgentEvents(intruder, { agentId })));
  });

  it("lists only the user's own agents", async () => {
    const list = await backend.client.call(routes.listAgents, { params: { userId: intruder }, query: {} });
    expect(list.agents).toEqual([]);
    const mine = await backend.client.call(routes.listAgents, { params: { userId: owner }, query: {} });
    expect(mine.agents.map((agent) => agent.id)).toEqual([agentId]);
  });
});
