import type { CommandClassifier } from "@agentbot/command-classifier";
import type { Db } from "@agentbot/db";
import type { EmailProvider } from "@agentbot/email";
import type { KeyValueStore } from "@agentbot/kv";
import type { Logger } from "../logger.ts";
import type { ApprovalResolver } from "./approval-resolver.ts";
import { unavailableApprovalResolver } from "./approval-resolver.ts";

/** What the approvals capability needs, built once in main.ts (or by a test) with `createApprovalServices`. */
export interface ApprovalServices {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly classifier: CommandClassifier;
  /** The port to the runtime (approval-resolver.ts). */
  readonly resolver: ApprovalResolver;
  /** Where "waiting for you" emails go (Resend or the outbox); null: none are sent (tests of other parts). */
  readonly email: EmailProvider | null;
  /** The dashboard's origin, for the link in emails. */
  readonly webUrl: string;
  /** A request still pending this long after it was raised is emailed to its owner, once. */
  readonly notifyAfterMs: number;
  readonly now: () => Date;
}

export interface ApprovalServicesOptions {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly classifier: CommandClassifier;
  readonly resolver?: ApprovalResolver;
  readonly email?: EmailProvider | null;
  readonly webUrl?: string;
  readonly notifyAfterMs?: number;
  readonly now?: () => Date;
}

/** The default notification delay (APPROVAL_NOTIFY_AFTER_SECONDS). */
export const DEFAULT_APPROVAL_NOTIFY_AFTER_MS = 180_000;

export function createApprovalServices(options: ApprovalServicesOptions): ApprovalServices {
  return {
    db: options.db,
    kv: options.kv,
    logger: options.logger,
    classifier: options.classifier,
    resolver: options.resolver ?? unavailableApprovalResolver,
    email: options.email ?? null,
    webUrl: options.webUrl ?? "http://localhost:3000",
    notifyAfterMs: options.notifyAfterMs ?? DEFAULT_APPROVAL_NOTIFY_AFTER_MS,
    now: options.now ?? (() => new Date()),
  };
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
