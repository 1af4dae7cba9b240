import type { ExecAllowlist } from "@agentbot/contracts";
import { HttpError } from "../http/http-error.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { toExecAllowlistEntryView } from "./approval-view.ts";

/** The commands an agent may run without asking (approve always), oldest first. Another user's agent is 404. */
export async function listExecAllowlist(
  services: ApprovalServices,
  input: { readonly userId: string; readonly agentId: string },
): Promise<ExecAllowlist> {
  const agent = await services.db.agent.findFirst({
    where: { id: input.agentId, userId: input.userId, deletedAt: null },
    select: { id: true },
  });
  if (!agent) throw new HttpError(404, "not_found", "No such agent.");
  const rows = await services.db.agentExecAllowlistEntry.findMany({
    where: { agentId: agent.id },
    orderBy: { id: "asc" },
  });
  return { entries: rows.map(toExecAllowlistEntryView) };
}
