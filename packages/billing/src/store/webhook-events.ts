import type { Tx } from "@agentbot/db";

/**
 * Claims a provider event inside the transaction that applies its effect. Answers false when it was already
 * processed (a replay, or a concurrent delivery of the same event that committed first): the caller then does
 * nothing. `ON CONFLICT DO NOTHING` keeps the transaction usable either way.
 */
export async function claimWebhookEvent(
  tx: Tx,
  event: { readonly provider: "stripe" | "cdp"; readonly eventId: string; readonly type: string },
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO billing_webhook_events (provider, event_id, type)
    VALUES (${event.provider}, ${event.eventId}, ${event.type})
    ON CONFLICT (provider, event_id) DO NOTHING`;
  return inserted === 1;
}

export async function wasProcessed(tx: Pick<Tx, "billingWebhookEvent">, provider: string, eventId: string) {
  return (await tx.billingWebhookEvent.findUnique({ where: { provider_eventId: { provider, eventId } } })) !== null;
}
