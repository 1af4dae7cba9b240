import { createPeriodicTask } from "../agents/periodic-task.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { expireOverdueApprovals } from "./expire-approvals.ts";
import { notifyWaitingApprovals } from "./notify-waiting-approvals.ts";

/** How often pending requests are looked at for expiry and for the "waiting for you" email. */
export const APPROVAL_SWEEP_INTERVAL_MS = 15_000;

/**
 * The approvals' periodic work on every backend instance (each step is a conditional UPDATE, so instances never do
 * it twice): mark overdue requests expired, then email owners about requests that have waited too long.
 */
export function createApprovalSweeper(services: ApprovalServices, intervalMs = APPROVAL_SWEEP_INTERVAL_MS) {
  const sweepOnce = async () => {
    const expired = await expireOverdueApprovals(services);
    const notified = await notifyWaitingApprovals(services);
    if (expired > 0 || notified > 0) services.logger.info({ expired, notified }, "approvals swept");
    return { expired, notified };
  };
  const task = createPeriodicTask(intervalMs, sweepOnce, (error) =>
    services.logger.error({ err: error }, "approval sweep failed"),
  );
  return { sweepOnce, start: () => task.start(), stop: () => task.stop() };
}
