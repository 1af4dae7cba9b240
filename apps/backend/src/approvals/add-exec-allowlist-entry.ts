import { newId } from "@agentbot/db";
import type { DbOrTx } from "@agentbot/db";

/**
 * Puts a command on the agent's allowlist (an `allow-always` decision). The exact command is the pattern; the approver
 * approves later requests for it (record-approval-request.ts). Adding one already there changes nothing.
 */
export async function addExecAllowlistEntry(
  db: DbOrTx,
  entry: {
    readonly agentId: string;
    readonly pattern: string;
    readonly createdByUserId: string | null;
    readonly approvalRequestId: string;
  },
): Promise<void> {
  await db.agentExecAllowlistEntry.createMany({
    data: [{ id: newId("agentExecAllowlistEntry"), ...entry }],
    skipDuplicates: true,
  });
}
