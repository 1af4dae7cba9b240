import type { ExecAllowlistEntryRemoved } from "@agentbot/contracts";
import { newId, withTx } from "@agentbot/db";
import { HttpError } from "../http/http-error.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { toExecAllowlistEntryView } from "./approval-view.ts";

/**
 * Takes a command off an agent's allowlist: the row goes (audited `agent.exec_allowlist.removed`, without the
 * command), then the runtime's own allowlist is updated through the resolver port; what it answered is returned
 * (`unavailable`: the runtime could not be reached now). Another user's agent or entry answers 404; removing an
 * entry twice is a 404 the second time.
 */
export async function removeExecAllowlistEntry(
  services: ApprovalServices,
  input: { readonly userId: string; readonly agentId: string; readonly entryId: string },
): Promise<ExecAllowlistEntryRemoved> {
  const removed = await withTx(services.db, async (tx) => {
    const entry = await tx.agentExecAllowlistEntry.findFirst({
      where: { id: input.entryId, agentId: input.agentId, agent: { userId: input.userId, deletedAt: null } },
    });
    if (!entry) return null;
    const deleted = await tx.agentExecAllowlistEntry.deleteMany({ where: { id: entry.id } });
    if (deleted.count === 0) return null;
    await tx.auditEvent.create({
      data: {
        id: newId("auditEvent"),
        action: "agent.exec_allowlist.removed",
        actorUserId: input.userId,
        subjectUserId: input.userId,
        targetType: "agent",
        targetId: entry.agentId,
        metadata: { entryId: entry.id, approvalId: entry.approvalRequestId },
      },
    });
    return entry;
  });
  if (!removed) throw new HttpError(404, "not_found", "No such allowlist entry.");
  let runtime: ExecAllowlistEntryRemoved["runtime"];
  try {
    runtime = await services.resolver.removeAllowlistEntry({ agentId: removed.agentId, pattern: removed.pattern });
  } catch (error) {
    services.logger.warn({ err: error, agentId: removed.agentId }, "the runtime resolver failed to remove an entry");
    runtime = "unavailable";
  }
  return { entry: toExecAllowlistEntryView(removed), runtime };
}
