import type { CommandClassifier } from "@agentbot/command-classifier";
import type { Db } from "@agentbot/db";
import type { KeyValueStore } from "@agentbot/kv";
import type { Logger } from "../logger.ts";

/** What the approvals capability needs, built once in main.ts (or by a test). */
export interface ApprovalServices {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly classifier: CommandClassifier;
}

/**
 * Live channels. `decisions` carries an agent id whenever a decision for it was recorded: the instance holding that
 * agent's operator connection sends what is undelivered. `userChannel` feeds the approvals page of one user.
 */
export const approvalChannels = {
  decisions: "approvals:decisions",
  user: (userId: string) => `approvals:user:${userId}`,
} as const;

export type ApprovalChange = { readonly type: "created" | "decided"; readonly approvalId: string };

/** Best effort, like agent updates: a lost message only delays a view until its next refresh or reconnect. */
export async function publishApprovalChange(
  services: ApprovalServices,
  userId: string,
  agentId: string,
  change: ApprovalChange,
): Promise<void> {
  try {
    await services.kv.publish(approvalChannels.user(userId), JSON.stringify(change));
    if (change.type === "decided") await services.kv.publish(approvalChannels.decisions, agentId);
  } catch (error) {
    services.logger.warn({ err: error, agentId }, "could not publish an approval change");
  }
}
