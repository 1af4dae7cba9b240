import { routes } from "@agentbot/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { isAlive, runtimePid } from "./support/local-runtime.ts";

let backend: AgentsBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function runningAgent(b: AgentsBackend, name: string) {
  const userId = await b.createUser();
  const accepted = await b.client.call(routes.provisionAgent, {
    body: { userId, idempotencyKey: `health-${name}`, name, modelProvider: "platform", model: "m", channels: {} },
  });
  await b.waitForStatus(accepted.agent.id, ["running"]);
  return { userId, agentId: accepted.agent.id };
}

async function waitForEvent(b: AgentsBackend, agentId: string, type: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const event = await b.db.agentEvent.findFirst({ where: { agentId, type }, orderBy: { createdAt: "desc" } });
    if (event) return event;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${type} event for ${agentId} within ${timeoutMs} ms`);
}

describe("health poller", () => {
  it("marks a runtime that stops answering degraded, restarts it automatically, and it runs again", async () => {
    backend = await startAgentsBackend({
      health: { degradedAfter: 2, autoRestartLimit: 3, autoRestartBaseDelayMs: 0 },
    });
    const { agentId } = await runningAgent(backend, "recovers");
    const pid = await runtimePid(backend.rootDir, agentId);
    process.kill(pid, "SIGKILL");

    const degraded = await waitForEvent(backend, agentId, "health.degraded");
    expect(degraded.message).toMatch(/health checks failed in a row/);
    await waitForEvent(backend, agentId, "restart.automatic");
    const agent = await backend.waitForStatus(agentId, ["running"]);
    expect(agent.autoRestartCount).toBe(1);
    const newPid = await runtimePid(backend.rootDir, agentId);
    expect(newPid).not.toBe(pid);
    expect(isAlive(newPid)).toBe(true);
    const restart = await backend.db.agentOperation.findFirstOrThrow({ where: { agentId, kind: "restart" } });
    expect(restart).toMatchObject({ status: "succeeded", params: { automatic: true } });
  });

  it("fails with crash_loop after the automatic-restart cap instead of restarting forever", async () => {
    backend = await startAgentsBackend({
      health: { degradedAfter: 1, autoRestartLimit: 2, autoRestartBaseDelayMs: 0 },
    });
    const { agentId } = await runningAgent(backend, "loops");
    const deadline = Date.now() + 30_000;
    let failed = false;
    while (Date.now() < deadline && !failed) {
      const agent = await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } });
      failed = agent.status === "failed";
      if (agent.status === "running" && agent.activeOperationId === null) {
        // Every time it comes back, it dies again: a crash loop.
        const pid = await runtimePid(backend.rootDir, agentId).catch(() => null);
        if (pid && isAlive(pid)) process.kill(pid, "SIGKILL");
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const agent = await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(agent.status).toBe("failed");
    expect(agent.failureReason).toBe("crash_loop");
    expect(agent.autoRestartCount).toBe(2);
    expect(await backend.db.agentOperation.count({ where: { agentId, kind: "restart" } })).toBe(2);
  });

  it("waits out the restart backoff: no automatic restart before nextAutoRestartAt (base × 2^restarts)", async () => {
    // Cycles are driven by hand: a timed cycle could read the agent before the update below and decide on the old
    // restart count.
    backend = await startAgentsBackend({
      health: { intervalMs: 3_600_000, degradedAfter: 1, autoRestartLimit: 3, autoRestartBaseDelayMs: 60_000 },
    });
    const { agentId } = await runningAgent(backend, "backs-off");
    await backend.db.agent.update({ where: { id: agentId }, data: { autoRestartCount: 2 } });
    process.kill(await runtimePid(backend.rootDir, agentId), "SIGKILL");
    const degradedAt = Date.now();
    await backend.subsystem.poller.pollOnce();
    await waitForEvent(backend, agentId, "health.degraded");
    const agent = await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    // Third restart: 60 s × 2² = 240 s from the moment it degraded.
    const delay = agent.nextAutoRestartAt!.getTime() - degradedAt;
    expect(delay).toBeGreaterThan(230_000);
    expect(delay).toBeLessThan(250_000);
    // More poll cycles pass without a restart.
    for (let cycle = 0; cycle < 3; cycle++) await backend.subsystem.poller.pollOnce();
    expect(await backend.db.agentOperation.count({ where: { agentId, kind: "restart" } })).toBe(0);
    expect((await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } })).status).toBe("degraded");
  });
});
