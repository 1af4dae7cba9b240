import type { BackendError } from "@agentbot/client";
import { routes } from "@agentbot/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

let backend: AgentsBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const body = (userId: string, name: string) => ({
  userId,
  idempotencyKey: `slots-${name}`,
  name,
  modelProvider: "platform" as const,
  model: "m",
  channels: {},
});

describe("deployment slots and the queue", () => {
  it("queues a deploy visibly while the platform's slots are taken, then runs it when one frees", async () => {
    backend = await startAgentsBackend({ slots: { globalLimit: 1, perUserLimit: 1 } });
    const userId = await backend.createUser();
    // Another deploy holds the only global slot.
    const blocker = await backend.services.slots.tryAcquire("blocking-deploy", "someone-else");
    expect(blocker.lease).not.toBeNull();

    const accepted = await backend.client.call(routes.provisionAgent, { body: body(userId, "waits") });
    const deadline = Date.now() + 10_000;
    let waitingEvent;
    while (Date.now() < deadline && !waitingEvent) {
      waitingEvent = await backend.db.agentEvent.findFirst({
        where: { agentId: accepted.agent.id, type: "slot.waiting" },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(waitingEvent?.message).toMatch(/Queued: the platform is deploying other agents/);
    expect((await backend.db.agent.findUniqueOrThrow({ where: { id: accepted.agent.id } })).status).toBe("queued");
    expect(await backend.services.slots.holders()).toEqual(["blocking-deploy"]);

    await blocker.lease!.release();
    const agent = await backend.waitForStatus(accepted.agent.id, ["running"]);
    expect(agent.status).toBe("running");
    // The slot is released once the job is done, however it ends.
    expect(await backend.services.slots.holders()).toEqual([]);
  });

  it("never runs more provisioning jobs at once than the global limit", async () => {
    backend = await startAgentsBackend({ slots: { globalLimit: 2, perUserLimit: 10 } });
    const userIds = await Promise.all(Array.from({ length: 3 }, () => backend!.createUser({ plan: "network" })));
    let maxHolders = 0;
    const sampling = setInterval(() => {
      void backend?.services.slots.holders().then((holders) => {
        maxHolders = Math.max(maxHolders, holders.length);
      });
    }, 10);
    const accepted = await Promise.all(
      userIds.flatMap((userId, user) =>
        [0, 1].map((index) =>
          backend!.client.call(routes.provisionAgent, { body: body(userId, `burst-${user}-${index}`) }),
        ),
      ),
    );
    for (const { agent } of accepted) await backend.waitForStatus(agent.id, ["running"], 30_000);
    clearInterval(sampling);
    expect(maxHolders).toBeGreaterThan(0);
    expect(maxHolders).toBeLessThanOrEqual(2);
    expect(await backend.services.slots.holders()).toEqual([]);
  });

  it("answers 429 with Retry-After when the user's queue is full, and loses nothing already queued", async () => {
    backend = await startAgentsBackend({ startWorkers: false, config: { queuePerUserCap: 2 } });
    const userId = await backend.createUser({ plan: "network" });
    await backend.client.call(routes.provisionAgent, { body: body(userId, "queued-1") });
    await backend.client.call(routes.provisionAgent, { body: body(userId, "queued-2") });
    const error = await backend.client.call(routes.provisionAgent, { body: body(userId, "queued-3") }).then(
      () => null,
      (caught: unknown) => caught as BackendError,
    );
    expect(error?.status).toBe(429);
    expect(error?.code).toBe("rate_limited");
    expect(error?.retryAfterSeconds).toBe(30);
    const agents = await backend.db.agent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    expect(agents.map((agent) => [agent.name, agent.status])).toEqual([
      ["queued-1", "queued"],
      ["queued-2", "queued"],
    ]);
  });
});
