export { createRailwayClient, parseRetryAfter, RAILWAY_ENDPOINT } from "./railway-client.ts";
export type { RailwayClient, RailwayClientOptions } from "./railway-client.ts";
export { railwayOperations, terminalDeploymentStatuses } from "./operations.ts";
export type { RailwayOperationName } from "./operations.ts";
export { RailwayError } from "./railway-error.ts";
export type { RailwayErrorKind } from "./railway-error.ts";
