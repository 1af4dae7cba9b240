import type { Db } from "@agentbot/db";
import { withTx } from "@agentbot/db";
import pLimit from "p-limit";
import type Stripe from "stripe";
import { applyStripeEvent } from "./apply-stripe-event.ts";
import type { StripeEventDeps, StripeEventOutcome } from "./apply-stripe-event.ts";

/**
 * Applies the Stripe events the webhook route put in the inbox (receive-stripe-webhook.ts). Guarantees:
 * - Exactly once per event id: the inbox row is locked (`FOR UPDATE SKIP LOCKED`) and marked processed in the same
 *   transaction as the effect. Two workers never apply one event; a worker that dies mid-way rolls back and the event
 *   is applied by the next one.
 * - A failure (Stripe unreachable, a database error) rolls the effect back and is recorded on the row (attempts,
 *   last error, next attempt with exponential backoff up to an hour); after MAX_ATTEMPTS it is given up (`failed`,
 *   error kept). A later event for the same subscription re-reads Stripe and repairs the state anyway.
 * - Once applied, the payload (customer details) is cleared; the effect is in the billing event log.
 */

export interface StripeInboxDeps extends StripeEventDeps {
  readonly db: Db;
  readonly now?: () => Date;
}

/** `not_pending`: already applied, given up, or being applied by another worker right now. */
export type StripeInboxOutcome = StripeEventOutcome | "not_pending";

export const STRIPE_EVENT_MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 3_600_000;

export class StripeEventFailedError extends Error {
  override readonly name = "StripeEventFailedError";
  readonly eventId: string;
  readonly attempts: number;
  /** True when this was the last attempt: the event is marked `failed` and will not be tried again. */
  readonly gaveUp: boolean;
  constructor(eventId: string, attempts: number, gaveUp: boolean, cause: unknown) {
    super(
      `Stripe event ${eventId} could not be applied (attempt ${attempts}${gaveUp ? ", given up" : ", will retry"}): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.eventId = eventId;
    this.attempts = attempts;
    this.gaveUp = gaveUp;
  }
}

/** Applies one pending event now. Throws StripeEventFailedError (after recording it) when the effect failed. */
export async function processStripeEvent(deps: StripeInboxDeps, eventId: string): Promise<StripeInboxOutcome> {
  try {
    return await withTx(
      deps.db,
      async (tx) => {
        const [pending] = await tx.$queryRaw<{ payload: unknown }[]>`
          SELECT payload FROM billing_webhook_events
          WHERE provider = 'stripe' AND event_id = ${eventId} AND processed_at IS NULL
          FOR UPDATE SKIP LOCKED`;
        if (pending === undefined || pending.payload === null) return "not_pending" as const;
        const outcome = await applyStripeEvent(tx, deps, pending.payload as Stripe.Event, deps.now?.() ?? new Date());
        await tx.$executeRaw`
          UPDATE billing_webhook_events
          SET processed_at = now(), outcome = ${outcome}, payload = NULL, last_error = NULL, attempts = attempts + 1
          WHERE provider = 'stripe' AND event_id = ${eventId}`;
        return outcome;
      },
      { timeoutMs: 15_000 },
    );
  } catch (error) {
    throw await recordFailure(deps.db, eventId, error);
  }
}

async function recordFailure(db: Db, eventId: string, error: unknown): Promise<StripeEventFailedError> {
  const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);
  const [row] = await db.$queryRaw<{ attempts: number; gave_up: boolean }[]>`
    UPDATE billing_webhook_events SET
      attempts = attempts + 1,
      last_error = ${message},
      next_attempt_at = now() + make_interval(secs => least(${MAX_BACKOFF_MS / 1000}, 2 * power(2, attempts))),
      processed_at = CASE WHEN attempts + 1 >= ${STRIPE_EVENT_MAX_ATTEMPTS} THEN now() END,
      outcome = CASE WHEN attempts + 1 >= ${STRIPE_EVENT_MAX_ATTEMPTS} THEN 'failed' END
    WHERE provider = 'stripe' AND event_id = ${eventId} AND processed_at IS NULL
    RETURNING attempts, processed_at IS NOT NULL AS gave_up`;
  return new StripeEventFailedError(eventId, row?.attempts ?? 0, row?.gave_up ?? false, error);
}

export interface StripeInboxDrain {
  readonly processed: number;
  readonly ignored: number;
  readonly failures: readonly StripeEventFailedError[];
}

/**
 * Applies every event that is due, oldest first, `concurrency` at a time (events of one subscription serialise on
 * its advisory lock; a Stripe round trip per event is why they run side by side). Keep `concurrency` below the
 * database pool's size. Answers what it did; failures are recorded on their rows and returned, not thrown.
 */
export async function processPendingStripeEvents(
  deps: StripeInboxDeps,
  options: { readonly concurrency?: number; readonly batchSize?: number } = {},
): Promise<StripeInboxDrain> {
  const limit = pLimit(options.concurrency ?? 4);
  const batchSize = options.batchSize ?? 100;
  let processed = 0;
  let ignored = 0;
  const failures: StripeEventFailedError[] = [];
  const seen = new Set<string>();
  for (;;) {
    const due = await deps.db.$queryRaw<{ event_id: string }[]>`
      SELECT event_id FROM billing_webhook_events
      WHERE provider = 'stripe' AND processed_at IS NULL AND next_attempt_at <= now()
      ORDER BY received_at LIMIT ${batchSize}`;
    // An event that failed in this drain waits for its next attempt; one another worker holds comes back as
    // not_pending. Either way it is not taken twice in one drain.
    const fresh = due.map((row) => row.event_id).filter((id) => !seen.has(id));
    if (fresh.length === 0) break;
    for (const id of fresh) seen.add(id);
    await Promise.all(
      fresh.map((id) =>
        limit(async () => {
          try {
            const outcome = await processStripeEvent(deps, id);
            if (outcome === "processed") processed++;
            else if (outcome === "ignored") ignored++;
          } catch (error) {
            if (error instanceof StripeEventFailedError) failures.push(error);
            else throw error;
          }
        }),
      ),
    );
  }
  return { processed, ignored, failures };
}
