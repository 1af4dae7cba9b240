import type { ApprovalStreamEvent } from "@agentbot/contracts";
import type { ApprovalChange, ApprovalServices } from "./approval-services.ts";
import { approvalChannels } from "./approval-services.ts";
import { toApprovalView, withAgentName } from "./approval-view.ts";

/** The most pending requests the first message of a live stream carries. */
const SNAPSHOT_LIMIT = 500;

/**
 * A user's live approvals until `signal` aborts: first a `snapshot` of the pending requests, then each `created` and
 * `decided` change as it is published on the user's channel (by any backend instance), with the request read fresh
 * from PostgreSQL. It subscribes before reading the snapshot, so nothing that happens meanwhile is missed; a change
 * seen during the read is sent after the snapshot (the client keeps the latest state per id). Changes are sent in
 * the order they arrived. Publishing is best effort, so a client that needs certainty reconnects (new snapshot).
 */
export async function followApprovals(
  services: ApprovalServices,
  input: {
    readonly userId: string;
    readonly send: (event: ApprovalStreamEvent) => void;
    readonly signal: AbortSignal;
  },
): Promise<void> {
  const { db, logger } = services;
  let chain = Promise.resolve();
  let buffered: ApprovalChange[] | null = [];
  const forward = (change: ApprovalChange) => {
    chain = chain
      .then(async () => {
        const row = await db.approvalRequest.findFirst({
          where: { id: change.approvalId, userId: input.userId },
          ...withAgentName,
        });
        if (row && !input.signal.aborted) input.send({ type: change.type, approval: toApprovalView(row) });
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not forward an approval change"));
  };
  const unsubscribe = await services.kv.subscribe(approvalChannels.user(input.userId), (message) => {
    const change = parseChange(message);
    if (change === null) return;
    if (buffered) buffered.push(change);
    else forward(change);
  });
  try {
    const pending = await db.approvalRequest.findMany({
      where: { userId: input.userId, status: "pending", expiresAt: { gt: services.now() } },
      ...withAgentName,
      orderBy: { id: "desc" },
      take: SNAPSHOT_LIMIT,
    });
    input.send({ type: "snapshot", approvals: pending.map(toApprovalView) });
    const seen = buffered;
    buffered = null;
    for (const change of seen) forward(change);
    if (!input.signal.aborted) {
      await new Promise<void>((resolve) => input.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
  } finally {
    await unsubscribe();
    await chain;
  }
}

function parseChange(message: string): ApprovalChange | null {
  try {
    const value = JSON.parse(message) as Partial<ApprovalChange>;
    if ((value.type === "created" || value.type === "decided") && typeof value.approvalId === "string") {
      return { type: value.type, approvalId: value.approvalId };
    }
  } catch {
    // Not ours: ignore.
  }
  return null;
}
