import { receiveStripeWebhook } from "@agentbot/billing";
import { errorResponse, jsonResponse } from "../../../../server/api-response.ts";
import { billing } from "../../../../server/billing.ts";
import { services } from "../../../../server/infra.ts";

/**
 * Stripe's webhook (configure the endpoint `https://<APP_URL>/api/webhooks/stripe` in Stripe with the events in the
 * README). The raw body is verified with the SDK before anything else (@agentbot/billing, receiveStripeWebhook): a
 * bad or stale signature is a 400 with nothing written. A verified event is put in the inbox and answered at once
 * (`accepted`; a replay is `duplicate` and changes nothing); the backend's billing worker applies it moments later.
 * Without card payment configured here the endpoint answers 404.
 */
export async function POST(request: Request): Promise<Response> {
  const { config, stripe } = billing();
  if (config.stripe === null || stripe === null) {
    return errorResponse(404, "not_found", "Card payment is not configured on this installation.");
  }
  const rawBody = await request.text();
  try {
    const result = await receiveStripeWebhook(
      { db: services().db, stripe, webhookSecret: config.stripe.webhookSecret },
      { rawBody, signature: request.headers.get("stripe-signature") },
    );
    if (result.status === 400) return errorResponse(400, "invalid_signature", result.message);
    return jsonResponse({ received: true, outcome: result.outcome });
  } catch (error) {
    // Stripe retries a non-2xx delivery with backoff: nothing was committed, so the retry is safe.
    console.error(
      `[web] stripe webhook failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "unknown"}`,
    );
    return errorResponse(500, "internal_error", "The event could not be recorded now; Stripe will retry it.");
  }
}
