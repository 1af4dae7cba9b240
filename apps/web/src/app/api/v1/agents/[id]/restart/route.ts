import { lifecycleRoute } from "../../../../../../server/agents-api.ts";

/** `POST /api/v1/agents/{id}/restart` (scope `agents:write`): 202 with the queued operation, 409 while another runs. */
export const POST = lifecycleRoute("restart");
