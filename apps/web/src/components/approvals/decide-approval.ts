"use client";

import type { Approval, HumanDecision } from "@agentbot/contracts";
import { postJson } from "../../lib/post-json.ts";

/** The one message to show when a decision did not go through, or null when it did. */
export type DecisionOutcome =
  | { readonly ok: true; readonly approval: Approval }
  | { readonly ok: false; readonly message: string; readonly code?: string };

/**
 * Sends a decision through the same public API route scripts use (`POST /api/v1/approvals/{id}/decision`, session
 * cookie, same-origin). Repeating the recorded decision succeeds again; a different one after the fact is a 409.
 */
export async function decideApproval(
  approvalId: string,
  decision: HumanDecision,
  confirmAgentName?: string,
): Promise<DecisionOutcome> {
  const result = await postJson<Approval>(`/api/v1/approvals/${encodeURIComponent(approvalId)}/decision`, {
    decision,
    ...(confirmAgentName === undefined ? {} : { confirmAgentName }),
  });
  if (result.ok) return { ok: true, approval: result.data };
  const message =
    result.errors.form ?? (Object.values(result.errors.fields).join(" ") || "The decision could not be sent.");
  return result.errors.code === undefined ? { ok: false, message } : { ok: false, message, code: result.errors.code };
}
