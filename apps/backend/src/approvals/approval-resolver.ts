import type { ExecApprovalDecision } from "@agentbot/openclaw";

/**
 * The port to the runtime (OpenClaw, through the approver's operator connection): an outside boundary, so the
 * approvals commands depend on this interface and never on the connection itself.
 *
 * - `resolve`: send a decision the database already holds. `resolved`: the runtime took it; `already_resolved`: the
 *   runtime had resolved the request already (by us, another operator, or its expiry) and will never take this one;
 *   `unavailable`: no connection to the runtime here and now. The decision stays recorded with `runtime_resolved_at`
 *   null, and the approver sends it again at its next connect (recordExecApprovalRequest answers it for the backfill).
 * - `removeAllowlistEntry`: make sure the runtime's own exec allowlist holds no `allow-always` entry (the platform's
 *   list is the only one; the approver sends "approve always" as `allow-once`): `removed` when one was found,
 *   `not_found` when there was none, `unavailable` when the runtime cannot be reached now.
 *
 * Implementations must not throw for "cannot reach the runtime": answer `unavailable`.
 */
export interface ApprovalResolver {
  resolve(input: {
    readonly agentId: string;
    readonly runtimeRequestId: string;
    readonly decision: ExecApprovalDecision;
  }): Promise<"resolved" | "already_resolved" | "unavailable">;
  removeAllowlistEntry(input: {
    readonly agentId: string;
    readonly pattern: string;
  }): Promise<"removed" | "not_found" | "unavailable">;
}

/**
 * The resolver of an instance that holds no runtime connection itself: every answer is `unavailable`, so decisions
 * are delivered by the approver instance holding the agent's connection (woken on the decisions channel, and at its
 * next connect). Tests of the approvals commands without a runtime use it.
 */
export const unavailableApprovalResolver: ApprovalResolver = {
  resolve: () => Promise.resolve("unavailable"),
  removeAllowlistEntry: () => Promise.resolve("unavailable"),
};
