export * from "./admin.ts";
export * from "./agents.ts";
export * from "./approvals.ts";
export * from "./audit.ts";
export * from "./billing.ts";
export * from "./common.ts";
export * from "./me.ts";
