import { grantPlan, revokePlanGrant } from "@agentbot/billing";
import { routes } from "@agentbot/contracts";
import { getPlan } from "@agentbot/plans";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionAgent, refusalOf } from "./support/agent-requests.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

// A plan change as billing makes it (here through admin grants, the same entitlement path as a payment): an upgrade
// raises the limit at once and a redeploy gives an agent the new plan's resources; a downgrade below the number of
// agents stops and deletes nothing, refuses new agents and starts, and names the agents to stop.

let backend: AgentsBackend;
beforeAll(async () => {
  backend = await startAgentsBackend();
});
afterAll(async () => {
  await backend?.close();
});

describe("plan changes", () => {
  it("upgrade: more agents at once, and a redeploy brings the new resources; downgrade: refuses and names agents", async () => {
    const userId = await backend.createUser({ plan: null, subscriptionStatus: "none" });
    const adminId = await backend.createUser({ role: "admin" });
    const grant = (plan: "solo" | "label") =>
      grantPlan(backend.db, { userId, plan, endsAt: null, reason: `test: ${plan}`, adminId });

    await grant("solo");
    const alpha = await provisionAgent(backend, userId, "alpha");
    await backend.waitForStatus(alpha, ["running"]);
    const solo = getPlan("solo");
    expect(await backend.db.agent.findUniqueOrThrow({ where: { id: alpha } })).toMatchObject({
      plan: "solo",
      cpuMillicores: solo.cpuMillicores,
      memoryMb: solo.memoryMb,
    });
    expect((await refusalOf(provisionAgent(backend, userId, "beta"))).status).toBe(403);

    // Upgrade: the limit rises at once.
    const labelGrant = await grant("label");
    const [beta, gamma] = [
      await provisionAgent(backend, userId, "beta"),
      await provisionAgent(backend, userId, "gamma"),
    ];
    await Promise.all([beta, gamma].map((id) => backend.waitForStatus(id, ["running"])));
    // alpha keeps its resources until redeployed; the redeploy takes the plan in force.
    expect((await backend.db.agent.findUniqueOrThrow({ where: { id: alpha } })).plan).toBe("solo");
    await backend.client.call(routes.agentAction, { params: { userId, agentId: alpha }, body: { action: "redeploy" } });
    const redeployed = await backend.waitForStatus(alpha, ["running"]);
    const label = getPlan("label");
    expect(redeployed).toMatchObject({ plan: "label", cpuMillicores: label.cpuMillicores, memoryMb: label.memoryMb });

    // Downgrade to Solo with three agents: nothing is stopped or deleted…
    await revokePlanGrant(backend.db, { grantId: labelGrant.id, adminId, reason: "test: back to solo" });
    expect((await backend.db.user.findUniqueOrThrow({ where: { id: userId } })).plan).toBe("solo");
    const agents = await backend.db.agent.findMany({ where: { userId }, orderBy: { name: "asc" } });
    expect(agents.map((agent) => [agent.name, agent.status])).toEqual([
      ["alpha", "running"],
      ["beta", "running"],
      ["gamma", "running"],
    ]);
    // …but a new agent is refused, naming the agents to delete…
    const create = await refusalOf(provisionAgent(backend, userId, "delta"));
    expect(create.status).toBe(403);
    expect(create.message).toContain("Your Solo plan allows 1 agent and you have 3 (alpha, beta, gamma)");
    // …and starting a stopped one is refused while others run, naming the ones to stop.
    await backend.client.call(routes.agentAction, { params: { userId, agentId: beta }, body: { action: "stop" } });
    await backend.waitForStatus(beta, ["stopped"]);
    const start = await refusalOf(
      backend.client.call(routes.agentAction, { params: { userId, agentId: beta }, body: { action: "start" } }),
    );
    expect(start.status).toBe(403);
    expect(start.message).toContain("2 already run (alpha, gamma): stop 2 of them first");
  });
});
