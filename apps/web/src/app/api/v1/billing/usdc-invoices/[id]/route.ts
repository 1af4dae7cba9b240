import { UsdcInvoiceResponse } from "@agentbot/contracts";
import { errorResponse } from "../../../../../../server/api-response.ts";
import { usdcInvoiceOf } from "../../../../../../server/billing-api.ts";
import { publicApiRoute } from "../../../../../../server/public-api.ts";

/**
 * `GET /api/v1/billing/usdc-invoices/{id}` (scope `billing:read`): one of the caller's USDC invoices, what the
 * invoice page polls for its live status. Another user's invoice answers 404, exactly like one that does not exist.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return publicApiRoute({
    scope: "billing:read",
    response: UsdcInvoiceResponse,
    handle: async ({ principal }) =>
      (await usdcInvoiceOf(principal.user.id, id)) ?? errorResponse(404, "not_found", "No such USDC invoice."),
  })(request);
}
