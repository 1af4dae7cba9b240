import type { AgentServices } from "../agents/agent-services.ts";
import { gatewayTokenContext } from "../agents/agent-secrets.ts";
import { EXEC_POLICY } from "@agentbot/engine";
import type { DeviceIdentity, ExecApprovalDecision, ExecApprovalRequest, OperatorClient } from "@agentbot/openclaw";
import {
  ExecApprovalRequest as ExecApprovalRequestSchema,
  ExecApprovalResolved,
  generateDeviceIdentity,
  operatorMethods,
  startOperatorClient,
} from "@agentbot/openclaw";
import type { ApprovalResolver } from "./approval-resolver.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { approvalChannels } from "./approval-services.ts";
import { markRuntimeResolved, recordExecApprovalRequest } from "./record-approval-request.ts";

/**
 * The platform's approver: exactly one operator connection per running agent across all backend instances.
 *
 * - Ownership is a lease on the agent row (`approver_lease_holder`, `approver_lease_expires_at`), claimed by one
 *   conditional UPDATE (free, ours, or expired) and renewed every scan; an instance that dies stops renewing and
 *   another takes the agent over within `leaseMs` + one scan. A lost lease closes the connection at once.
 * - A connection opens when the agent is running and closes when it is not (or deleted).
 * - At every connect it re-applies the platform's exec policy (the host approvals document's floor: allowlist, ask on
 *   miss, deny when nobody answers; the config's `tools.exec`, re-patched with an agent event when it drifted), then
 *   backfills pending requests with `exec.approval.list`.
 * - Each request is recorded and classified (record-approval-request.ts); what the policy or the agent's allowlist
 *   allows is resolved at once, the rest waits for a human. Decisions made on any instance arrive on the decisions
 *   channel and are sent by the holder; undelivered ones are sent again at the next connect.
 * - The platform's allowlist (agent_exec_allowlist) is the only one: "approve always" is recorded there and sent to
 *   the runtime as `allow-once`, and `allow-always` entries in the runtime's own allowlist (another operator's, e.g.
 *   a Control UI session) are removed at every connect and whenever the runtime reports one. So removing a command
 *   from the platform's list takes effect at once: the runtime asks again, and the platform no longer answers alone.
 * - `resolver` is the ApprovalResolver port for the agents this instance holds (others answer `unavailable`; their
 *   holder delivers from the decisions channel).
 *
 * Not covered: remote runtimes (Railway) need this device paired once through the runtime's admin RPC, and the
 * device key persisted sealed; today the identity is made per process, which loopback runtimes (the local engine)
 * accept without pairing.
 */

export interface ApproverOptions {
  readonly leaseMs?: number;
  readonly scanIntervalMs?: number;
  readonly clientVersion: string;
}

export interface Approver {
  /** The port to the runtimes this instance holds connections for. */
  readonly resolver: ApprovalResolver;
  start(): Promise<void>;
  /** One scan now (claim, renew, open, close); tests call it instead of waiting for the timer. */
  scan(): Promise<void>;
  /** Agent ids this instance holds connections for. */
  held(): string[];
  stop(): Promise<void>;
}

const OPERATOR_SCOPES = ["operator.admin", "operator.approvals", "operator.read", "operator.write"] as const;

/** The host approvals document's floor the platform keeps on every runtime. */
const HOST_POLICY_FLOOR = {
  security: "allowlist",
  ask: "on-miss",
  askFallback: "deny",
  autoAllowSkills: false,
} as const;

export function createApprover(
  agents: Pick<AgentServices, "db" | "secrets" | "timeline" | "workerId">,
  approvals: ApprovalServices,
  options: ApproverOptions,
): Approver {
  const { db, workerId } = agents;
  const logger = approvals.logger.child({ component: "approver" });
  const leaseMs = options.leaseMs ?? 15_000;
  const scanIntervalMs = options.scanIntervalMs ?? Math.max(500, Math.floor(leaseMs / 3));
  const device: DeviceIdentity = generateDeviceIdentity();
  const sessions = new Map<string, OperatorClient>();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let scanning: Promise<void> | undefined;
  let stopped = false;

  const deliver = async (
    client: OperatorClient,
    agentId: string,
    runtimeRequestId: string,
    decision: ExecApprovalDecision,
  ): Promise<"resolved" | "already_resolved" | "unavailable"> => {
    let outcome: "resolved" | "already_resolved" = "resolved";
    try {
      // "Always" lives in the platform's allowlist only: the runtime is told to run this one.
      const runtimeDecision = decision === "allow-always" ? "allow-once" : decision;
      await operatorMethods(client).resolveExecApproval(runtimeRequestId, runtimeDecision);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // Not connected right now: stays undelivered, sent at the next connect. Any answer from the runtime itself
      // (already resolved, unknown or expired id) is final: it will never accept this decision.
      if (code === "disconnected" || code === "timeout" || code === "stopped") return "unavailable";
      logger.info({ agentId, runtimeRequestId, code }, "the runtime did not take a decision (already resolved?)");
      outcome = "already_resolved";
    }
    await db.approvalRequest.updateMany({
      where: { agentId, runtimeRequestId, runtimeResolvedAt: null },
      data: { runtimeResolvedAt: new Date() },
    });
    return outcome;
  };

  /** Removes every `allow-always` entry from the runtime's own allowlist; true when there was one. */
  const stripRuntimeAllowAlways = async (client: OperatorClient): Promise<boolean> => {
    const methods = operatorMethods(client);
    const snapshot = await methods.getExecApprovals();
    let stripped = false;
    const agentsPolicy = Object.fromEntries(
      Object.entries(snapshot.file.agents).map(([runtimeAgentId, policy]) => {
        const kept = policy.allowlist?.filter((entry) => entry["source"] !== "allow-always");
        if (kept === undefined || kept.length === policy.allowlist?.length) return [runtimeAgentId, policy];
        stripped = true;
        return [runtimeAgentId, { ...policy, allowlist: kept }];
      }),
    );
    if (stripped) await methods.setExecApprovals({ ...snapshot.file, agents: agentsPolicy }, snapshot.hash);
    return stripped;
  };

  const handleRequest = async (client: OperatorClient, agentId: string, request: ExecApprovalRequest) => {
    const recorded = await recordExecApprovalRequest(approvals, { agentId, request });
    if (recorded?.resolveWith) await deliver(client, agentId, request.id, recorded.resolveWith);
  };

  const deliverDecided = async (agentId: string) => {
    const client = sessions.get(agentId);
    if (!client) return;
    const undelivered = await db.approvalRequest.findMany({
      where: { agentId, runtimeResolvedAt: null, decision: { not: null }, expiresAt: { gt: new Date() } },
      select: { runtimeRequestId: true, decision: true },
    });
    for (const row of undelivered) {
      await deliver(client, agentId, row.runtimeRequestId, row.decision as ExecApprovalDecision);
    }
  };

  const enforcePolicy = async (client: OperatorClient, agentId: string) => {
    const methods = operatorMethods(client);
    const snapshot = await methods.getExecApprovals();
    const defaults = snapshot.file.defaults;
    const floorHolds = Object.entries(HOST_POLICY_FLOOR).every(
      ([key, value]) => (defaults as Record<string, unknown>)[key] === value,
    );
    if (!floorHolds) {
      await methods.setExecApprovals(
        { ...snapshot.file, defaults: { ...defaults, ...HOST_POLICY_FLOOR } },
        snapshot.hash,
      );
    }
    if (await stripRuntimeAllowAlways(client)) {
      logger.info({ agentId }, "removed allow-always entries from the runtime's allowlist (the platform keeps them)");
    }
    const config = (await methods.configGet()) as { hash?: string; resolved?: { tools?: { exec?: unknown } } };
    if (!matchesExecPolicy(config.resolved?.tools?.exec)) {
      agents.timeline.note({
        agentId,
        type: "exec_policy.drifted",
        message: "The runtime's exec policy differed from the platform's; it was set back.",
        data: { found: summarizePolicy(config.resolved?.tools?.exec) },
      });
      if (config.hash) await methods.configPatch(JSON.stringify({ tools: { exec: EXEC_POLICY } }), config.hash);
    }
  };

  const open = (agentId: string) => {
    const client: OperatorClient = startOperatorClient({
      connect: async () => {
        const agent = await db.agent.findUniqueOrThrow({
          where: { id: agentId },
          select: { url: true, gatewayTokenCiphertext: true },
        });
        if (!agent.url) throw new Error("the agent has no URL yet");
        return {
          url: agent.url.replace(/^http/, "ws"),
          auth: { token: agents.secrets.open(agent.gatewayTokenCiphertext, gatewayTokenContext(agentId)) },
          device,
          scopes: OPERATOR_SCOPES,
          caps: ["exec-approvals"],
          clientVersion: options.clientVersion,
          displayName: "Agentbot approver",
        };
      },
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      onConnected: async () => {
        logger.info({ agentId }, "approver connected");
        await enforcePolicy(client, agentId);
        for (const request of await operatorMethods(client).listExecApprovals()) {
          await handleRequest(client, agentId, request);
        }
        await deliverDecided(agentId);
      },
      onEvent: (event, payload) => {
        if (event === "exec.approval.requested") {
          const parsed = ExecApprovalRequestSchema.safeParse(payload);
          if (!parsed.success) return;
          handleRequest(client, agentId, parsed.data).catch((error: unknown) =>
            logger.error({ err: error, agentId }, "could not record an approval request"),
          );
        } else if (event === "exec.approval.resolved") {
          const parsed = ExecApprovalResolved.safeParse(payload);
          if (!parsed.success) return;
          markRuntimeResolved(approvals, {
            agentId,
            runtimeRequestId: parsed.data.id,
            decision: parsed.data.decision,
          })
            .then(async () => {
              // Another operator answered "always" in the runtime: the platform's list now has it; the runtime's not.
              if (parsed.data.decision === "allow-always") await stripRuntimeAllowAlways(client);
            })
            .catch((error: unknown) => logger.error({ err: error, agentId }, "could not record a resolution"));
        }
      },
      onDisconnected: ({ code }) => logger.info({ agentId, code }, "approver disconnected"),
      onConnectFailed: (error, attempt) => {
        if (attempt === 1 || attempt % 10 === 0)
          logger.warn({ err: error, agentId, attempt }, "approver cannot connect");
      },
    });
    sessions.set(agentId, client);
  };

  const close = async (agentId: string, release: boolean) => {
    const client = sessions.get(agentId);
    sessions.delete(agentId);
    await client?.stop();
    if (release) {
      await db.agent.updateMany({
        where: { id: agentId, approverLeaseHolder: workerId },
        data: { approverLeaseHolder: null, approverLeaseExpiresAt: null },
      });
    }
  };

  const scanOnce = async () => {
    const now = new Date();
    const running = await db.agent.findMany({
      where: { status: "running", deletedAt: null, url: { not: null } },
      select: { id: true },
    });
    const runningIds = new Set(running.map((agent) => agent.id));
    for (const agentId of [...sessions.keys()]) {
      if (!runningIds.has(agentId)) await close(agentId, true);
    }
    const expiresAt = new Date(now.getTime() + leaseMs);
    for (const { id } of running) {
      const claimed = await db.agent.updateMany({
        where: {
          id,
          OR: [
            { approverLeaseHolder: null },
            { approverLeaseHolder: workerId },
            { approverLeaseExpiresAt: null },
            { approverLeaseExpiresAt: { lt: now } },
          ],
        },
        data: { approverLeaseHolder: workerId, approverLeaseExpiresAt: expiresAt },
      });
      if (claimed.count === 1 && !sessions.has(id)) open(id);
      if (claimed.count === 0 && sessions.has(id)) {
        logger.warn({ agentId: id }, "approver lease lost to another instance");
        await close(id, false);
      }
    }
  };

  const scan = () => {
    scanning ??= scanOnce()
      .catch((error: unknown) => logger.error({ err: error }, "approver scan failed"))
      .finally(() => {
        scanning = undefined;
      });
    return scanning;
  };

  const resolver: ApprovalResolver = {
    resolve: async ({ agentId, runtimeRequestId, decision }) => {
      const client = sessions.get(agentId);
      return client ? deliver(client, agentId, runtimeRequestId, decision) : "unavailable";
    },
    removeAllowlistEntry: async ({ agentId }) => {
      const client = sessions.get(agentId);
      if (!client) return "unavailable";
      try {
        return (await stripRuntimeAllowAlways(client)) ? "removed" : "not_found";
      } catch {
        return "unavailable";
      }
    },
  };

  return {
    resolver,
    async start() {
      unsubscribe = await approvals.kv.subscribe(approvalChannels.decisions, (agentId) => {
        deliverDecided(agentId).catch((error: unknown) =>
          logger.error({ err: error, agentId }, "could not deliver a decision"),
        );
      });
      await scan();
      timer = setInterval(() => {
        if (!stopped) void scan();
      }, scanIntervalMs);
      timer.unref();
    },
    scan,
    held: () => [...sessions.keys()],
    async stop() {
      stopped = true;
      clearInterval(timer);
      await scanning;
      await unsubscribe?.();
      await Promise.all([...sessions.keys()].map((agentId) => close(agentId, true)));
    },
  };
}

function matchesExecPolicy(found: unknown): boolean {
  if (typeof found !== "object" || found === null) return false;
  const record = found as Record<string, unknown>;
  return Object.entries(EXEC_POLICY).every(([key, value]) => JSON.stringify(record[key]) === JSON.stringify(value));
}

function summarizePolicy(found: unknown): { host: string | null; mode: string | null } | null {
  if (typeof found !== "object" || found === null) return null;
  const { host, mode } = found as { host?: unknown; mode?: unknown };
  return { host: typeof host === "string" ? host : null, mode: typeof mode === "string" ? mode : null };
}
