import { handleCdpWebhook } from "@agentbot/billing";
import { errorResponse, jsonResponse } from "../../../../server/api-response.ts";
import { billing } from "../../../../server/billing.ts";
import { services } from "../../../../server/infra.ts";

/**
 * Coinbase CDP's webhook for USDC transfers to invoice addresses (`https://<APP_URL>/api/webhooks/cdp`, an
 * `onchain.activity.detected` subscription on the USDC contract: see README). Verified (X-Hook0-Signature) before
 * anything else; idempotent by event id and by on-chain transfer. Without USDC payment configured here: 404.
 */
export async function POST(request: Request): Promise<Response> {
  const { config } = billing();
  if (config.usdc === null) {
    return errorResponse(404, "not_found", "USDC payment is not configured on this installation.");
  }
  const rawBody = await request.text();
  try {
    const result = await handleCdpWebhook(
      { db: services().db, webhookSecret: config.usdc.webhookSecret, network: config.usdc.network },
      { rawBody, headers: request.headers },
    );
    if (result.status === 400) return errorResponse(400, result.error, result.message);
    return jsonResponse({ received: true, outcome: result.outcome, transfer: result.transfer ?? null });
  } catch (error) {
    console.error(
      `[web] cdp webhook failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "unknown"}`,
    );
    return errorResponse(500, "internal_error", "The event could not be processed now; CDP will retry it.");
  }
}
