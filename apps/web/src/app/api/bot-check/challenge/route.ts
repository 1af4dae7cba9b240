import { getAuth } from "../../../../server/auth.ts";
import { errorResponse, jsonResponse } from "../../../../server/api-response.ts";

/**
 * A fresh signed proof-of-work challenge for the sign-up page's ALTCHA widget. Stateless (signed, expiring), so
 * serving one costs an HMAC; solving one costs the browser about a second. 404 with BotID, which needs none.
 */
export async function GET(): Promise<Response> {
  const challenge = await getAuth().createBotChallenge();
  if (challenge === null) return errorResponse(404, "not_found", "This deployment uses BotID; no challenge needed.");
  return jsonResponse(challenge);
}
