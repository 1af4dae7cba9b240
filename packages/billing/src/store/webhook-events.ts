import type { Tx } from "@agentbot/db";

/**
 * Claims a provider event inside the transaction that applies its effect. Answers false when it was already
 * processed (a replay, or a concurrent delivery of the same event that committed first): the caller then does
 * nothing. `ON CONFLICT DO NOTHING` keeps the transaction usable either way. (CDP's route applies its events at once;
 * Stripe's go through the inbox: receive-stripe-webhook.ts.)
 */
export async function claimWebhookEvent(
  tx: Tx,
  event: { readonly provider: "stripe" | "cdp"; readonly eventId: string; readonly type: string },
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO billing_webhook_events (provider, event_id, type, processed_at, outcome, attempts)
    VALUES (${event.provider}, ${event.eventId}, ${event.type}, now(), 'processed', 1)
    ON CONFLICT (provider, event_id) DO NOTHING`;
  return inserted === 1;
}
