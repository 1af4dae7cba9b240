import { BackendError } from "@agentbot/client";
import { routes } from "@agentbot/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

let backend: AgentsBackend;

beforeAll(async () => {
  backend = await startAgentsBackend({ launcher: { unavailableVersions: ["2026.1.1"] } });
});
afterAll(async () => {
  await backend?.close();
});

const settings = (name: string) => ({
  name,
  modelProvider: "platform" as const,
  model: "openclaw/default",
  channels: {},
});

async function expectBackendError(promise: Promise<unknown>, status: number, code: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BackendError);
  expect((error as BackendError).status).toBe(status);
  expect((error as BackendError).code).toBe(code);
  return error as BackendError;
}

describe("provisioning an agent", () => {
  it("goes queued → provisioning → running, records each step with timings, and is reachable", async () => {
    const userId = await backend.createUser();
    const accepted = await backend.client.call(routes.provisionAgent, {
      body: { userId, idempotencyKey: "create-first-agent", ...settings("first") },
    });
    expect(accepted.created).toBe(true);
    expect(accepted.agent.status).toBe("queued");
    expect(accepted.operation.kind).toBe("provision");

    const agent = await backend.waitForStatus(accepted.agent.id, ["running", "failed"]);
    expect(agent.status).toBe("running");
    expect(agent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(agent.engineServiceId).toBeTruthy();
    expect(agent.plan).toBe("label");
    expect(agent.memoryMb).toBe(8192);

    const detail = await backend.client.call(routes.getAgent, {
      params: { userId, agentId: accepted.agent.id },
    });
    const types = detail.events.map((event) => event.type);
    for (const step of [
      "operation.queued",
      "slot.acquired",
      "operation.started",
      "config.generated",
      "engine.created",
      "health.live",
      "health.ready",
      "status.running",
    ]) {
      expect(types, `timeline has ${step}`).toContain(step);
    }
    expect(types.indexOf("engine.created")).toBeLessThan(types.indexOf("status.running"));
    expect(detail.events.find((event) => event.type === "engine.created")?.durationMs).toBeGreaterThanOrEqual(0);
    expect(detail.operations[0]).toMatchObject({ kind: "provision", status: "succeeded", attempts: 1 });

    // The runtime really answers, with its own gateway token.
    const health = await fetch(`${agent.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, status: "live" });

    // The gateway token is encrypted at rest, never stored in the clear.
    const row = await backend.db.agent.findUniqueOrThrow({ where: { id: agent.id } });
    expect(row.gatewayTokenCiphertext.startsWith("v1.1.")).toBe(true);
    const link = await backend.client.call(routes.getAgentControlUi, {
      params: { userId, agentId: agent.id },
    });
    const token = decodeURIComponent(link.url.split("#token=")[1]!);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(row.gatewayTokenCiphertext).not.toContain(token);
    const models = await fetch(`${agent.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
    expect(models.status).toBe(200);
  });

  it("answers the same agent and operation for the same idempotency key", async () => {
    const userId = await backend.createUser();
    const body = { userId, idempotencyKey: "same-key-twice", ...settings("twice") };
    const [first, second] = await Promise.all([
      backend.client.call(routes.provisionAgent, { body }),
      backend.client.call(routes.provisionAgent, { body }),
    ]);
    expect(second.agent.id).toBe(first.agent.id);
    expect(second.operation.id).toBe(first.operation.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const third = await backend.client.call(routes.provisionAgent, { body });
    expect(third).toMatchObject({ created: false, agent: { id: first.agent.id } });
    expect(await backend.db.agent.count({ where: { userId } })).toBe(1);
    expect(await backend.db.agentOperation.count({ where: { userId } })).toBe(1);
    // The key with another request is refused rather than silently answering a different agent.
    await expectBackendError(
      backend.client.call(routes.provisionAgent, { body: { ...body, name: "other-name" } }),
      409,
      "conflict",
    );
    await backend.waitForStatus(first.agent.id, ["running"]);
  });

  it("refuses without a subscription (402) and enforces the plan's agent limit (403)", async () => {
    const unsubscribed = await backend.createUser({ plan: null, subscriptionStatus: "none" });
    await expectBackendError(
      backend.client.call(routes.provisionAgent, {
        body: { userId: unsubscribed, idempotencyKey: "no-subscription", ...settings("nope") },
      }),
      402,
      "subscription_required",
    );
    const pastDue = await backend.createUser({ plan: "solo", subscriptionStatus: "past_due" });
    const error = await expectBackendError(
      backend.client.call(routes.provisionAgent, {
        body: { userId: pastDue, idempotencyKey: "past-due-user", ...settings("late") },
      }),
      402,
      "subscription_required",
    );
    expect(error.message).toMatch(/past due/);

    const solo = await backend.createUser({ plan: "solo" });
    const first = await backend.client.call(routes.provisionAgent, {
      body: { userId: solo, idempotencyKey: "solo-agent-1", ...settings("one") },
    });
    const limit = await expectBackendError(
      backend.client.call(routes.provisionAgent, {
        body: { userId: solo, idempotencyKey: "solo-agent-2", ...settings("two") },
      }),
      403,
      "plan_limit_reached",
    );
    expect(limit.message).toMatch(/Solo plan allows 1 agent/);
    expect(await backend.db.agent.count({ where: { userId: solo } })).toBe(1);
    await backend.waitForStatus(first.agent.id, ["running"]);
  });

  it("lets an admin without a subscription deploy, and audits the bypass", async () => {
    const admin = await backend.createUser({ role: "admin", plan: null, subscriptionStatus: "none" });
    const accepted = await backend.client.call(routes.provisionAgent, {
      body: { userId: admin, idempotencyKey: "admin-bypass-1", ...settings("admin-agent") },
    });
    expect(accepted.agent.plan).toBe("network");
    const audit = await backend.db.auditEvent.findMany({ where: { actorUserId: admin } });
    expect(audit.map((event) => event.action)).toEqual(["subscription_gate.bypassed"]);
    await backend.waitForStatus(accepted.agent.id, ["running"]);
  });

  it("validates the request and names the field", async () => {
    const userId = await backend.createUser();
    const error = await expectBackendError(
      backend.client.call(routes.provisionAgent, {
        body: { userId, idempotencyKey: "bad-request-1", ...settings("Bad Name"), modelProvider: "openai" },
      }),
      400,
      "validation_failed",
    );
    const paths = (error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toContain("body.name");
    expect(paths).toContain("body.providerApiKey");
    expect(await backend.db.agent.count({ where: { userId } })).toBe(0);
  });

  it("fails a runtime version the engine cannot install, after retries, with a readable reason and nothing left", async () => {
    const userId = await backend.createUser();
    const accepted = await backend.client.call(routes.provisionAgent, {
      body: { userId, idempotencyKey: "bad-version-1", ...settings("bad-version"), runtimeVersion: "2026.1.1" },
    });
    const agent = await backend.waitForStatus(accepted.agent.id, ["failed"]);
    expect(agent.failureReason).toBe("engine_error");
    expect(agent.failureMessage).toMatch(/2026\.1\.1/);
    expect(agent.engineServiceId).toBeNull();
    const operation = await backend.db.agentOperation.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(operation.status).toBe("failed");
    expect(operation.attempts).toBe(3); // the first try and two retries with backoff
    const events = await backend.db.agentEvent.findMany({
      where: { agentId: agent.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.filter((event) => event.type === "engine.retry_scheduled")).toHaveLength(2);
    expect((await backend.driver.list()).some((workload) => workload.agentId === agent.id)).toBe(false);
    expect(await backend.services.slots.holders()).not.toContain(expect.stringContaining(operation.id));
  });
});
