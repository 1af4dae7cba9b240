import { PublicExecAllowlistEntryRemoved } from "@agentbot/contracts";
import { agentsBackend } from "../../../../../../../server/agents-backend.ts";
import { answeringBackendErrors } from "../../../../../../../server/agents-errors.ts";
import { publicApiRoute } from "../../../../../../../server/public-api.ts";

interface EntryRouteContext {
  readonly params: Promise<{ id: string; entryId: string }>;
}

/**
 * `DELETE /api/v1/agents/{id}/exec-allowlist/{entryId}` (scope `approvals:write`): the command asks again next time.
 * `runtime` says whether the running runtime's own allowlist was updated too (`unavailable`: it could not be
 * reached, and the platform's approver updates it when it reconnects).
 */
export async function DELETE(request: Request, context: EntryRouteContext): Promise<Response> {
  const { id: agentId, entryId } = await context.params;
  return publicApiRoute({
    scope: "approvals:write",
    response: PublicExecAllowlistEntryRemoved,
    handle: ({ principal }) =>
      answeringBackendErrors("DELETE /api/v1/agents/{id}/exec-allowlist/{entryId}", () =>
        agentsBackend.removeExecAllowlistEntry(principal.user.id, agentId, entryId),
      ),
  })(request);
}
