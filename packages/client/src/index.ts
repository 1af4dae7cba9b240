export { BackendError, parseRetryAfter } from "./backend-error.ts";
export { createBackendClient } from "./create-backend-client.ts";
export type { BackendClient, BackendClientOptions } from "./create-backend-client.ts";
export type { BackendEventStream, StreamOptions } from "./event-stream.ts";
export { readServerSentEvents } from "./sse.ts";
export type { EventSourceMessage } from "./sse.ts";
