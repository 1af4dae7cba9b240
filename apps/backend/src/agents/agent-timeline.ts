import type { AgentStatus, AgentStreamEvent } from "@agentbot/contracts";
import type { Db, Prisma } from "@agentbot/db";
import { newId } from "@agentbot/db";
import type { KeyValueStore } from "@agentbot/kv";
import type { Logger } from "../logger.ts";
import { agentWithActiveOperation, toAgentView, toEventView } from "./agent-view.ts";

/** The channel carrying a user's agent changes to every backend instance's SSE streams. */
export const agentChannel = (userId: string) => `agents:user:${userId}`;

export interface TimelineEntry {
  readonly agentId: string;
  readonly operationId?: string | null;
  readonly type: string;
  readonly message: string;
  readonly durationMs?: number | null;
  readonly data?: Prisma.InputJsonValue;
  /** Fields to change on the agent in the same transaction (status, url, failure…). */
  readonly update?: Prisma.AgentUpdateInput;
}

/**
 * Records one step of an agent's life: updates the agent (when asked) and appends an AgentEvent in one transaction,
 * then publishes the new state to the owner's live channel. Publishing is best effort: a lost message only delays
 * the dashboard until its next refresh; PostgreSQL has the truth.
 */
export class AgentTimeline {
  private readonly db: Db;
  private readonly kv: KeyValueStore;
  private readonly logger: Logger;

  constructor(deps: { db: Db; kv: KeyValueStore; logger: Logger }) {
    this.db = deps.db;
    this.kv = deps.kv;
    this.logger = deps.logger;
  }

  /** Per agent, the last write in flight: writes for one agent happen in the order they were asked for. */
  private readonly chains = new Map<string, Promise<void>>();

  /**
   * Records the entry after every earlier entry of the same agent, and resolves once it is written and published.
   * Callers on the provisioning path await only the entries whose state they depend on (the final status); the
   * others go through `note`, off the critical path, and still land in order.
   */
  record(entry: TimelineEntry): Promise<void> {
    const previous = this.chains.get(entry.agentId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(entry));
    const settled = next.catch(() => undefined);
    this.chains.set(entry.agentId, settled);
    void settled.then(() => {
      if (this.chains.get(entry.agentId) === settled) this.chains.delete(entry.agentId);
    });
    return next;
  }

  /** Resolves once every entry asked for so far for this agent is written (or has failed). */
  async flush(agentId: string): Promise<void> {
    await this.chains.get(agentId);
  }

  /** `record` without waiting: a failure is logged, never thrown (the step already happened; only its note is lost). */
  note(entry: TimelineEntry): void {
    this.record(entry).catch((error: unknown) =>
      this.logger.warn({ err: error, agentId: entry.agentId, event: entry.type }, "could not record a timeline event"),
    );
  }

  private async write(entry: TimelineEntry): Promise<void> {
    const { agent, event } = await this.db.$transaction(async (tx) => {
      const agent = await tx.agent.update({
        where: { id: entry.agentId },
        data: entry.update ?? {},
        ...agentWithActiveOperation,
      });
      const event = await tx.agentEvent.create({
        data: {
          id: newId("agentEvent"),
          agentId: entry.agentId,
          operationId: entry.operationId ?? null,
          type: entry.type,
          status: agent.status,
          message: entry.message,
          durationMs: entry.durationMs === undefined || entry.durationMs === null ? null : Math.round(entry.durationMs),
          data: entry.data ?? {},
        },
      });
      return { agent, event };
    });
    this.logger.info(
      { agentId: agent.id, operationId: entry.operationId ?? undefined, event: entry.type, status: agent.status },
      entry.message,
    );
    const message: AgentStreamEvent = { agent: toAgentView(agent), event: toEventView(event) };
    await this.publish(agent.userId, message);
  }

  /** Publishes the agent's current state without a timeline event (e.g. an operation was queued). */
  async publishState(agentId: string): Promise<void> {
    const agent = await this.db.agent.findUnique({ where: { id: agentId }, ...agentWithActiveOperation });
    if (agent) await this.publish(agent.userId, { agent: toAgentView(agent), event: null });
  }

  private async publish(userId: string, message: AgentStreamEvent) {
    try {
      await this.kv.publish(agentChannel(userId), JSON.stringify(message));
    } catch (error) {
      this.logger.warn({ err: error }, "could not publish an agent update (live views catch up on refresh)");
    }
  }
}

export type { AgentStatus };
