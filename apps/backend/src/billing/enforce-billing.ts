import { decideEnforcement, enqueueBillingTask, recordBillingEvent } from "@agentbot/billing";
import type { EffectiveStatus, SuspensionReason } from "@agentbot/billing";
import { withTx } from "@agentbot/db";
import { requestAgentOperation } from "../agents/agent-commands.ts";
import { ACTIVE_AGENT_STATUSES } from "../agents/run-gate.ts";
import { HttpError } from "../http/http-error.ts";
import type { BillingServices } from "./billing-services.ts";

const reasonText: Record<SuspensionReason, string> = {
  payment_overdue: "your payment is overdue and the grace period has ended",
  subscription_ended: "your subscription has ended",
  no_subscription: "there is no plan in force",
};

/** An agent operation could not be requested now (another runs on the agent): the task retries later. */
export class EnforcementIncomplete extends Error {
  override name = "EnforcementIncomplete";
}

/**
 * Carries out `decideEnforcement` for one user. Suspension stops each active agent through the same stop operation a
 * person would request (recorded on its timeline as "Stop requested by billing"), marks it `billingSuspendedAt`, and
 * marks the account suspended once every agent is stopped. Resumption starts exactly the agents billing stopped and
 * clears the marks. Both are idempotent: an agent busy with another operation makes the pass incomplete, and the task
 * runs again later, picking up where it left.
 */
export async function enforceBilling(services: BillingServices, userId: string): Promise<string> {
  const { db } = services;
  const now = services.now();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { role: true, subscriptionStatus: true, billingAccount: true },
  });
  if (user === null) return "no such user";
  const decision = decideEnforcement(
    {
      status: user.subscriptionStatus as EffectiveStatus,
      isAdmin: user.role === "admin",
      pastDueSince: user.billingAccount?.pastDueSince ?? null,
      suspendedAt: user.billingAccount?.suspendedAt ?? null,
    },
    now,
    services.config.gracePeriodMs,
  );
  switch (decision.action) {
    case "none":
      return "nothing to do";
    case "wait":
      await enqueueBillingTask(db, {
        kind: "enforce",
        userId,
        runAfter: decision.until,
        dedupeKey: `enforce:${userId}:${decision.until.toISOString()}`,
      });
      return `grace period until ${decision.until.toISOString()}`;
    case "suspend":
      return suspend(services, userId, decision.reason, now);
    case "resume":
      return resume(services, userId, now);
  }
}

async function suspend(services: BillingServices, userId: string, reason: SuspensionReason, now: Date) {
  const { db } = services;
  const agents = await db.agent.findMany({
    where: { userId, deletedAt: null, status: { in: [...ACTIVE_AGENT_STATUSES] } },
    select: { id: true, name: true, status: true },
  });
  let incomplete = 0;
  for (const agent of agents) {
    try {
      if (agent.status !== "stopping") {
        await requestAgentOperation(services.agents, {
          userId,
          agentId: agent.id,
          action: { action: "stop" },
          billing: { reason: "billing_suspended", message: reasonText[reason] },
        });
      }
      await db.agent.update({ where: { id: agent.id }, data: { billingSuspendedAt: now } });
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) incomplete++;
      else throw error;
    }
  }
  if (incomplete > 0) throw new EnforcementIncomplete(`${incomplete} agent(s) busy with another operation`);
  const suspended = await db.agent.findMany({
    where: { userId, deletedAt: null, billingSuspendedAt: { not: null } },
    select: { name: true },
  });
  await withTx(db, async (tx) => {
    await tx.billingAccount.upsert({
      where: { userId },
      create: { userId, suspendedAt: now },
      update: { suspendedAt: now },
    });
    await recordBillingEvent(tx, {
      userId,
      type: "agents.suspended",
      message: `Agents suspended because ${reasonText[reason]}: ${suspended.map((a) => a.name).join(", ") || "none were running"}`,
      data: { reason, agents: suspended.map((a) => a.name) },
    });
    await enqueueBillingTask(tx, {
      kind: "email",
      userId,
      payload: {
        template: "billing_agents_suspended",
        reason: reasonText[reason],
        agentNames: suspended.map((a) => a.name),
      },
      dedupeKey: `suspended:${userId}:${now.toISOString()}`,
    });
  });
  return `suspended ${suspended.length} agent(s)`;
}

async function resume(services: BillingServices, userId: string, now: Date) {
  const { db } = services;
  const agents = await db.agent.findMany({
    where: { userId, deletedAt: null, billingSuspendedAt: { not: null } },
    select: { id: true, name: true, status: true },
  });
  let incomplete = 0;
  const resumed: string[] = [];
  for (const agent of agents) {
    try {
      if (agent.status === "stopped" || agent.status === "failed") {
        await requestAgentOperation(services.agents, {
          userId,
          agentId: agent.id,
          action: { action: "start" },
          billing: { reason: "billing_resumed", message: "payment received" },
        });
      } else if (agent.status === "stopping") {
        incomplete++;
        continue;
      }
      await db.agent.update({ where: { id: agent.id }, data: { billingSuspendedAt: null } });
      resumed.push(agent.name);
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) incomplete++;
      else throw error;
    }
  }
  if (incomplete > 0) throw new EnforcementIncomplete(`${incomplete} agent(s) not ready to be started yet`);
  await withTx(db, async (tx) => {
    await tx.billingAccount.update({ where: { userId }, data: { suspendedAt: null } });
    await recordBillingEvent(tx, {
      userId,
      type: "agents.resumed",
      message: `Agents resumed automatically: ${resumed.join(", ") || "none had been running"}`,
      data: { agents: resumed },
    });
    await enqueueBillingTask(tx, {
      kind: "email",
      userId,
      payload: { template: "billing_agents_resumed", agentNames: resumed },
      dedupeKey: `resumed:${userId}:${now.toISOString()}`,
    });
  });
  return `resumed ${resumed.length} agent(s)`;
}
