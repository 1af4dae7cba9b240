export { BackendError } from "./backend-error.ts";
export { createBackendClient } from "./create-backend-client.ts";
export type { BackendClient, BackendClientOptions } from "./create-backend-client.ts";
