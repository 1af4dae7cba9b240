import "server-only";
import { createBackendClient } from "@agentbot/client";
import { env } from "../env.ts";

/**
 * The typed backend client, authenticated with the service token. `server-only` makes any import of this module from
 * a client component a build error, so the token cannot be bundled for the browser through it.
 */
export const backend = createBackendClient({
  baseUrl: env.BACKEND_URL,
  token: env.BACKEND_SERVICE_TOKEN,
  timeoutMs: 3_000,
});
