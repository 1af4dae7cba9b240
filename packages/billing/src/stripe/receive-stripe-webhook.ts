import type { Db } from "@agentbot/db";
import type Stripe from "stripe";
import { BILLING_TASKS_CHANNEL } from "../store/billing-tasks.ts";

/**
 * Stripe's webhook as the route sees it: verify, record, answer. Guarantees:
 * - Nothing happens before `stripe.webhooks.constructEvent` verified the signature over the raw body with a 300 s
 *   tolerance; a bad or stale signature is refused (400) and nothing is written.
 * - A verified event is in the inbox (`billing_webhook_events`, payload kept, `processed_at` null) before the answer
 *   is sent, in one statement that also wakes the billing worker (`pg_notify` at commit). Stripe gets its 2xx after
 *   one insert, whatever the effect costs; the effect is applied by `processStripeEvent` (stripe-inbox.ts), in the
 *   backend's billing worker.
 * - The event id is claimed once: a replay, or a concurrent second delivery, is "duplicate" and changes nothing.
 * Not covered here: whether the event means anything to us (that is decided when it is applied).
 */

export interface ReceiveStripeWebhookDeps {
  readonly db: Db;
  /** Only `stripe.webhooks` is used here: verification needs no API call. */
  readonly stripe: Stripe;
  readonly webhookSecret: string;
}

export type ReceiveStripeWebhookResult =
  | { readonly status: 200; readonly outcome: "accepted" | "duplicate"; readonly eventId: string }
  | { readonly status: 400; readonly error: "invalid_signature"; readonly message: string };

export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export async function receiveStripeWebhook(
  deps: ReceiveStripeWebhookDeps,
  request: { readonly rawBody: string; readonly signature: string | null },
): Promise<ReceiveStripeWebhookResult> {
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(
      request.rawBody,
      request.signature ?? "",
      deps.webhookSecret,
      STRIPE_SIGNATURE_TOLERANCE_SECONDS,
    );
  } catch (error) {
    return {
      status: 400,
      error: "invalid_signature",
      message: error instanceof Error ? error.message : "the Stripe-Signature header does not verify",
    };
  }
  // The verified body is stored as sent (it is the event; re-serialising would change nothing but cost time). The
  // data-modifying CTE runs whether or not it inserts; pg_notify only fires for a row that was inserted.
  const inserted = await deps.db.$queryRaw<{ event_id: string }[]>`
    WITH inserted AS (
      INSERT INTO billing_webhook_events (provider, event_id, type, payload)
      VALUES ('stripe', ${event.id}, ${event.type}, ${request.rawBody}::jsonb)
      ON CONFLICT (provider, event_id) DO NOTHING
      RETURNING event_id)
    SELECT event_id, pg_notify(${BILLING_TASKS_CHANNEL}, '')::text AS notified FROM inserted`;
  return { status: 200, outcome: inserted.length === 1 ? "accepted" : "duplicate", eventId: event.id };
}
