import type { Tx } from "@agentbot/db";
import { getPlan, PlanId } from "@agentbot/plans";
import { HttpError } from "../http/http-error.ts";
import { notEntitledMessage } from "./subscription-gate.ts";

/** Agent statuses that hold compute (everything but stopped, failed, deleted). */
export const ACTIVE_AGENT_STATUSES = [
  "queued",
  "provisioning",
  "running",
  "degraded",
  "starting",
  "stopping",
  "restarting",
  "redeploying",
] as const;

/**
 * Whether a person may (re)start an agent: the billing twin of the subscription gate, for start, restart and
 * redeploy. Refused (402) while billing has suspended the user's agents (paying resumes them), or without a plan
 * that lets agents run (`trialing`, `active`, or `past_due` within its grace period, during which agents keep
 * running). A start is also refused (403) when it would run more agents than the plan allows at once: after a
 * downgrade the message names the running agents to stop. Admins pass. Billing's own resume does not go through here.
 */
export async function assertMayRunAgent(tx: Tx, userId: string, agentId: string, starting: boolean): Promise<void> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { role: true, plan: true, subscriptionStatus: true, billingAccount: { select: { suspendedAt: true } } },
  });
  if (user === null || user.role === "admin") return;
  if (user.billingAccount?.suspendedAt) {
    throw new HttpError(
      402,
      "subscription_required",
      "Billing suspended your agents: pay in Settings → Billing and they resume automatically.",
    );
  }
  const status = user.subscriptionStatus;
  if (status !== "trialing" && status !== "active" && status !== "past_due") {
    throw new HttpError(402, "subscription_required", notEntitledMessage(status, "starting agents"));
  }
  const plan = PlanId.safeParse(user.plan);
  if (!starting || !plan.success) return;
  const { maxAgents, name } = getPlan(plan.data);
  if (maxAgents === null) return;
  const others = await tx.agent.findMany({
    where: { userId, deletedAt: null, id: { not: agentId }, status: { in: [...ACTIVE_AGENT_STATUSES] } },
    select: { name: true },
    orderBy: { createdAt: "asc" },
  });
  if (others.length >= maxAgents) {
    const names = others.map((agent) => agent.name).join(", ");
    throw new HttpError(
      403,
      "plan_limit_reached",
      `Your ${name} plan runs ${maxAgents} agent${maxAgents === 1 ? "" : "s"} at a time and ${others.length} already run (${names}): stop ${others.length - maxAgents + 1} of them first, or upgrade your plan.`,
      { plan: plan.data, maxAgents, running: others.map((agent) => agent.name) },
    );
  }
}
