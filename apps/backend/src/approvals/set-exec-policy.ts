import type { ExecPolicy } from "@agentbot/contracts";
import { newId } from "@agentbot/db";
import { agentWithActiveOperation, toAgentView } from "../agents/agent-view.ts";
import { HttpError } from "../http/http-error.ts";
import type { ApprovalServices } from "./approval-services.ts";

/**
 * Changes an agent's exec policy. It applies to requests raised from now on (the approver reads it per request);
 * requests already waiting keep waiting for a human. Audited with the old and new value.
 */
export async function setExecPolicy(
  services: ApprovalServices,
  input: { readonly userId: string; readonly agentId: string; readonly execPolicy: ExecPolicy },
) {
  const { db } = services;
  const agent = await db.agent.findFirst({ where: { id: input.agentId, userId: input.userId, deletedAt: null } });
  if (!agent) throw new HttpError(404, "not_found", "No such agent.");
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.agent.update({
      where: { id: agent.id },
      data: { execPolicy: input.execPolicy },
      ...agentWithActiveOperation,
    });
    if (agent.execPolicy !== input.execPolicy) {
      await tx.auditEvent.create({
        data: {
          id: newId("auditEvent"),
          action: "agent.exec_policy.changed",
          actorUserId: input.userId,
          subjectUserId: input.userId,
          targetType: "agent",
          targetId: agent.id,
          metadata: { from: agent.execPolicy, to: input.execPolicy },
        },
      });
    }
    return row;
  });
  return toAgentView(updated);
}
