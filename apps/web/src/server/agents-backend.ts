import "server-only";
import { createBackendClient } from "@agentbot/client";
import { env } from "../env.ts";

/**
 * The backend client for the agents API routes. Same service token as `backend.ts`, a longer wait for the answer:
 * creating an agent or opening a chat may wait on the backend's queue and the runtime. Once a stream is open there is
 * no timeout (the browser's disconnect ends it).
 */
export const agentsBackend = createBackendClient({
  baseUrl: env.BACKEND_URL,
  token: env.BACKEND_SERVICE_TOKEN,
  timeoutMs: 15_000,
});
