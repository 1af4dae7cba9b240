import type { Db } from "@agentbot/db";
import type { KeyValueStore } from "@agentbot/kv";
import type { AgentServices } from "./agents/agent-services.ts";
import type { ApprovalServices } from "./approvals/approval-services.ts";
import type { Logger } from "./logger.ts";

/** Everything the HTTP app needs, built once in main.ts (or by a test) and passed in. */
export interface AppDeps {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly serviceToken: string;
  readonly version: string;
  readonly environment: "development" | "test" | "production";
  readonly startedAt: Date;
  readonly readinessTimeoutMs: number;
  readonly now: () => Date;
  /** The agents subsystem; absent in tests of the HTTP basics that do not provision anything. */
  readonly agents?: AgentServices;
  /** Exec approvals (lists and decisions); absent where agents are. */
  readonly approvals?: ApprovalServices;
}
