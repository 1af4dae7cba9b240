import type { Db } from "@agentbot/db";
import type { EngineDriver } from "@agentbot/engine";
import type { KeyValueStore } from "@agentbot/kv";
import type { SecretBox } from "@agentbot/secrets";
import type { Logger } from "../logger.ts";
import type { AgentTimeline } from "./agent-timeline.ts";
import type { OperationQueue } from "./operations/operation-queue.ts";
import type { SlotGate } from "./slots/slot-gate.ts";

/** Settings of the agents subsystem (from the backend's env module, or chosen by a test). */
export interface AgentConfig {
  readonly defaultRuntimeVersion: string;
  /** Queued operations one user may have waiting before 429. */
  readonly queuePerUserCap: number;
  /** Every operation must end (succeeded or failed) within this long of being requested. */
  readonly operationDeadlineMs: number;
  /** How long a starting runtime may take to become healthy. */
  readonly healthDeadlineMs: number;
  /** An operation's lease: renewed every third of it; expired → its worker is presumed dead. */
  readonly leaseMs: number;
  /** How often a job that could not get a slot looks again. */
  readonly slotRetryMs: number;
  /** Engine failures marked retryable are retried this many times (backoff) before the agent fails. */
  readonly engineRetryLimit: number;
  readonly engineRetryBaseDelayMs: number;
  /** Platform model provider (OpenAI-compatible) for agents on platform credits; null: not configured. */
  readonly platformModel: { readonly baseUrl: string; readonly tokenSecret: string } | null;
  /** Origins allowed to open the runtime's Control UI (the dashboard). */
  readonly controlUiOrigins: readonly string[];
}

/** Everything the agents subsystem needs, built once (main.ts or a test). */
export interface AgentServices {
  readonly db: Db;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly driver: EngineDriver;
  readonly slots: SlotGate;
  readonly secrets: SecretBox;
  readonly queue: OperationQueue;
  readonly timeline: AgentTimeline;
  readonly config: AgentConfig;
  /** This backend instance's id (bki_…): the holder of the leases it takes. */
  readonly workerId: string;
  /**
   * Fast path: run a just-queued operation in this process right away when a worker slot is free, instead of waiting
   * for the job queue to hand it back. The durable job is sent regardless; whichever comes second finds the
   * operation leased or finished and does nothing.
   */
  readonly dispatch: (operationId: string) => void;
}
