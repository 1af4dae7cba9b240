import { isEntitled } from "./entitlement.ts";
import type { EffectiveStatus } from "./entitlement.ts";

/**
 * What billing does to a user's agents now, from their status in force. Pure; the backend's billing worker carries it
 * out (stopping agents through the same operations as a person's stop, starting exactly the ones billing stopped).
 * - `trialing` / `active`: agents run; if billing had suspended them, resume them (automatically).
 * - `past_due`: agents keep running through the grace period from `pastDueSince`, then are suspended.
 * - `unpaid`, `canceled`, `paused`, `incomplete`, `expired`, `none`: suspended now (a Stripe subscription cancelled
 *   at period end only becomes `canceled` when its period ends; a USDC period is `expired` once its end passes).
 * Admins are never suspended (their subscription gate is bypassed, and audited, instead).
 */

export type EnforcementDecision =
  | { readonly action: "none" }
  | { readonly action: "resume" }
  | { readonly action: "suspend"; readonly reason: SuspensionReason }
  | { readonly action: "wait"; readonly until: Date; readonly reason: "grace_period" };

export type SuspensionReason = "payment_overdue" | "subscription_ended" | "no_subscription";

export interface EnforcementInput {
  readonly status: EffectiveStatus;
  readonly isAdmin: boolean;
  readonly pastDueSince: Date | null;
  readonly suspendedAt: Date | null;
}

export function decideEnforcement(input: EnforcementInput, now: Date, gracePeriodMs: number): EnforcementDecision {
  const suspended = input.suspendedAt !== null;
  if (input.isAdmin || isEntitled(input.status)) return suspended ? { action: "resume" } : { action: "none" };
  if (suspended) return { action: "none" };
  if (input.status === "past_due") {
    const since = input.pastDueSince ?? now;
    const until = new Date(since.getTime() + gracePeriodMs);
    return until.getTime() <= now.getTime()
      ? { action: "suspend", reason: "payment_overdue" }
      : { action: "wait", until, reason: "grace_period" };
  }
  return { action: "suspend", reason: input.status === "none" ? "no_subscription" : "subscription_ended" };
}

/** When the grace period of a `past_due` status ends. */
export function graceEndsAt(pastDueSince: Date, gracePeriodMs: number): Date {
  return new Date(pastDueSince.getTime() + gracePeriodMs);
}
