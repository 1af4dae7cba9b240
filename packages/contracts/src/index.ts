export * from "./errors.ts";
export * from "./route.ts";
export * from "./routes/health.ts";
export * from "./routes/platform.ts";
export * from "./routes/agents.ts";
export * from "./routes/approvals.ts";
export { routes } from "./routes/index.ts";
export type { Routes } from "./routes/index.ts";
export * from "./public-api/index.ts";
