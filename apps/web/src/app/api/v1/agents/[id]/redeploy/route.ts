import { lifecycleRoute } from "../../../../../../server/agents-api.ts";

/**
 * `POST /api/v1/agents/{id}/redeploy` (scope `agents:write`), optional body `{ runtimeVersion }` (default: the agent's
 * current version): 202 with the queued operation, 409 while another runs.
 */
export const POST = lifecycleRoute("redeploy");
