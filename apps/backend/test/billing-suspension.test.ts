import { billingConfigFromEnv, refreshEntitlement } from "@agentbot/billing";
import { routes } from "@agentbot/contracts";
import { createOutboxProvider } from "@agentbot/email";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBillingSubsystem } from "../src/billing/billing-subsystem.ts";
import { provisionAgent, refusalOf } from "./support/agent-requests.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

// Suspension and resumption on the local engine with the fake runtime: billing stops the user's agents through
// their ordinary stop operation after the grace period, refuses starts and creates with 402, and on payment starts
// exactly the agents it stopped. The subscription rows are seeded as the Stripe webhook stores them (that path has
// its own tests in packages/billing); everything from there on is the real code.

const DAY = 86_400_000;
let backend: AgentsBackend;
let billing: ReturnType<typeof createBillingSubsystem>;
let clock = new Date();

beforeAll(async () => {
  backend = await startAgentsBackend();
  billing = createBillingSubsystem({
    db: backend.db,
    logger: (await import("../src/logger.ts")).createLogger({ level: "silent" }),
    agents: backend.services,
    email: createOutboxProvider({ db: backend.db, from: "Agentbot <billing@agentbot.test>" }),
    config: billingConfigFromEnv({ BILLING_GRACE_DAYS: 3 }),
    webUrl: "http://127.0.0.1:3000",
    databaseUrl: backend.databaseUrl,
    sweepIntervalMs: 3_600_000,
    now: () => clock,
  });
});
afterAll(async () => {
  await backend?.close();
});

async function setSubscription(userId: string, status: string) {
  const id = `sub_test_${userId}`;
  const state = {
    status,
    plan: "collective",
    interval: "month",
    priceId: "price_collective_month",
    currentPeriodStart: new Date(clock.getTime() - DAY),
    currentPeriodEnd: new Date(clock.getTime() + 29 * DAY),
  };
  await backend.db.billingAccount.upsert({
    where: { userId },
    create: { userId, stripeCustomerId: `cus_${userId}` },
    update: {},
  });
  await backend.db.stripeSubscription.upsert({
    where: { id },
    create: { id, userId, customerId: `cus_${userId}`, ...state },
    update: state,
  });
  await refreshEntitlement(backend.db, userId, clock, { reason: `test: Stripe says ${status}` });
}

describe("billing suspension and resumption", () => {
  it("keeps agents through the grace period, then stops them; paying starts exactly those again", async () => {
    const userId = await backend.createUser({ plan: null, subscriptionStatus: "none" });
    await setSubscription(userId, "active");
    const [alpha, beta, gamma] = [
      await provisionAgent(backend, userId, "alpha"),
      await provisionAgent(backend, userId, "beta"),
      await provisionAgent(backend, userId, "gamma"),
    ];
    await Promise.all([alpha, beta, gamma].map((id) => backend.waitForStatus(id, ["running"])));
    // The person stops one of them: billing must leave it stopped when it resumes the others.
    await backend.client.call(routes.agentAction, { params: { userId, agentId: gamma }, body: { action: "stop" } });
    await backend.waitForStatus(gamma, ["stopped"]);

    // Payment fails: past due, inside the grace period the agents keep running.
    await setSubscription(userId, "past_due");
    await billing.worker.drainOnce();
    const pastDue = await backend.db.billingAccount.findUniqueOrThrow({ where: { userId } });
    expect(pastDue.pastDueSince?.getTime()).toBe(clock.getTime());
    expect(pastDue.suspendedAt).toBeNull();
    for (const id of [alpha, beta]) {
      expect((await backend.db.agent.findUniqueOrThrow({ where: { id } })).status).toBe("running");
    }
    // A new agent needs a plan in force.
    const create = await refusalOf(provisionAgent(backend, userId, "delta"));
    expect(create.status).toBe(402);
    expect(create.message).toMatch(/past due/);

    // Three days later the grace period is over: the sweep suspends.
    clock = new Date(clock.getTime() + 3 * DAY + 60_000);
    await billing.worker.sweepOnce();
    await Promise.all([alpha, beta].map((id) => backend.waitForStatus(id, ["stopped"])));
    const suspended = await backend.db.billingAccount.findUniqueOrThrow({ where: { userId } });
    expect(suspended.suspendedAt).not.toBeNull();
    const agents = await backend.db.agent.findMany({ where: { userId }, orderBy: { name: "asc" } });
    expect(agents.map((agent) => [agent.name, agent.status, agent.billingSuspendedAt !== null])).toEqual([
      ["alpha", "stopped", true],
      ["beta", "stopped", true],
      ["gamma", "stopped", false],
    ]);
    // Nothing was deleted, and each stop is on the agent's timeline with its reason.
    const stops = await backend.db.agentEvent.findMany({
      where: {
        agentId: { in: [alpha, beta] },
        type: "operation.queued",
        message: { startsWith: "Stop requested by billing" },
      },
    });
    expect(stops).toHaveLength(2);
    expect(stops.map((event) => event.data)).toEqual([
      { reason: "billing_suspended" },
      { reason: "billing_suspended" },
    ]);
    const log = await backend.db.billingEvent.findMany({ where: { userId, type: "agents.suspended" } });
    expect(log).toHaveLength(1);
    expect(log[0]!.message).toMatch(/alpha, beta/);

    // A suspended user cannot start an agent: 402 with a message saying what to do.
    const start = await refusalOf(
      backend.client.call(routes.agentAction, { params: { userId, agentId: alpha }, body: { action: "start" } }),
    );
    expect(start.status).toBe(402);
    expect(start.message).toMatch(/Billing suspended your agents.*pay/);

    // The retried payment succeeds: alpha and beta start again, gamma (stopped by its owner) stays stopped.
    await setSubscription(userId, "active");
    await billing.worker.drainOnce();
    await Promise.all([alpha, beta].map((id) => backend.waitForStatus(id, ["running"])));
    const resumed = await backend.db.agent.findMany({ where: { userId }, orderBy: { name: "asc" } });
    expect(resumed.map((agent) => [agent.name, agent.status, agent.billingSuspendedAt])).toEqual([
      ["alpha", "running", null],
      ["beta", "running", null],
      ["gamma", "stopped", null],
    ]);
    expect((await backend.db.billingAccount.findUniqueOrThrow({ where: { userId } })).suspendedAt).toBeNull();

    // The user was told both times (the payment-failed email comes from the Stripe webhook, tested there).
    await billing.worker.drainOnce();
    const user = await backend.db.user.findUniqueOrThrow({ where: { id: userId } });
    const mail = await backend.db.emailMessage.findMany({ where: { to: user.email }, orderBy: { createdAt: "asc" } });
    expect(mail.map((message) => message.template)).toEqual(
      expect.arrayContaining(["billing_agents_suspended", "billing_agents_resumed"]),
    );
  });

  it("suspends at once when the subscription is canceled, and leaves admins alone", async () => {
    const userId = await backend.createUser({ plan: null, subscriptionStatus: "none" });
    await setSubscription(userId, "active");
    const agentId = await provisionAgent(backend, userId, "solo-agent");
    await backend.waitForStatus(agentId, ["running"]);
    await setSubscription(userId, "canceled");
    await billing.worker.drainOnce();
    await backend.waitForStatus(agentId, ["stopped"]);
    expect((await backend.db.agent.findUniqueOrThrow({ where: { id: agentId } })).billingSuspendedAt).not.toBeNull();

    const adminId = await backend.createUser({ role: "admin", plan: null, subscriptionStatus: "none" });
    const adminAgent = await provisionAgent(backend, adminId, "admin-agent");
    await backend.waitForStatus(adminAgent, ["running"]);
    await billing.worker.sweepOnce();
    expect((await backend.db.agent.findUniqueOrThrow({ where: { id: adminAgent } })).status).toBe("running");
  });
});
