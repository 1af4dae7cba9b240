import { routes } from "@agentbot/contracts";
import { newId } from "@agentbot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

let backend: AgentsBackend;
beforeAll(async () => {
  // Workers stay off: the reconciler is driven by hand, one pass at a time.
  backend = await startAgentsBackend({ startWorkers: false });
});
afterAll(async () => {
  await backend?.close();
});

describe("reconciler", () => {
  it("removes an engine workload that no agent owns", async () => {
    const orphanAgentId = newId("agent");
    const ref = await backend.driver.create({
      agentId: orphanAgentId,
      name: "orphan",
      runtimeVersion: "2026.9.6",
      resources: { cpuMillicores: 1000, memoryMb: 2048 },
      openclawConfig: JSON.stringify({ gateway: { mode: "local" } }),
      env: { OPENCLAW_GATEWAY_TOKEN: "orphan-token-orphan-token-orphan-token-1234" },
    });
    expect((await backend.driver.status(ref)).state).not.toBe("missing");
    const report = await backend.subsystem.reconciler.reconcileOnce();
    expect(report.orphansRemoved).toBe(1);
    expect((await backend.driver.status(ref)).state).toBe("missing");
  });

  it("fails an operation whose deadline passed, so no agent stays in a non-terminal state", async () => {
    const userId = await backend.createUser();
    const accepted = await backend.client.call(routes.provisionAgent, {
      body: {
        userId,
        idempotencyKey: "overdue-op-1",
        name: "overdue",
        modelProvider: "platform",
        model: "m",
        channels: {},
      },
    });
    await backend.db.agentOperation.update({
      where: { id: accepted.operation.id },
      data: { deadlineAt: new Date(Date.now() - 1_000) },
    });
    const report = await backend.subsystem.reconciler.reconcileOnce();
    expect(report.overdue).toBe(1);
    const agent = await backend.db.agent.findUniqueOrThrow({ where: { id: accepted.agent.id } });
    expect(agent).toMatchObject({ status: "failed", failureReason: "deadline_exceeded", activeOperationId: null });
    const operation = await backend.db.agentOperation.findUniqueOrThrow({ where: { id: accepted.operation.id } });
    expect(operation).toMatchObject({ status: "failed", errorReason: "deadline_exceeded" });
  });

  it("frees deployment slots that no running operation holds (PostgreSQL is the truth)", async () => {
    const leaked = await backend.services.slots.tryAcquire("aop_ghost.dead", "usr_ghost");
    expect(leaked.lease).not.toBeNull();
    expect(await backend.services.slots.holders()).toContain("aop_ghost.dead");
    const report = await backend.subsystem.reconciler.reconcileOnce();
    expect(report.slotsFreed).toBeGreaterThanOrEqual(1);
    expect(await backend.services.slots.holders()).not.toContain("aop_ghost.dead");
    expect(await backend.services.slots.holders("usr_ghost")).toEqual([]);
  });

  it("hands an abandoned operation (its worker's lease expired) back to the queue", async () => {
    const userId = await backend.createUser();
    const accepted = await backend.client.call(routes.provisionAgent, {
      body: {
        userId,
        idempotencyKey: "abandoned-op-1",
        name: "abandoned",
        modelProvider: "platform",
        model: "m",
        channels: {},
      },
    });
    await backend.db.agentOperation.update({
      where: { id: accepted.operation.id },
      data: { status: "running", leaseHolder: "bki_dead", leaseExpiresAt: new Date(Date.now() - 1_000) },
    });
    const report = await backend.subsystem.reconciler.reconcileOnce();
    expect(report.requeued).toBeGreaterThanOrEqual(1);
    // With a worker running, the re-queued job completes the provisioning.
    await backend.subsystem.start();
    const agent = await backend.waitForStatus(accepted.agent.id, ["running"]);
    expect(agent.status).toBe("running");
  });
});
