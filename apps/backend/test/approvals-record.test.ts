import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addExecAllowlistEntry } from "../src/approvals/add-exec-allowlist-entry.ts";
import { markRuntimeResolved, recordExecApprovalRequest } from "../src/approvals/record-approval-request.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { createApprovalAgent, execRequest } from "./support/approvals.ts";

// What the approver does with each request the runtime raises: store it once (event or backfill), classify it with
// the real classifier, and let the agent's policy approve it or leave it to a human. Real PostgreSQL and Redis.

let backend: AgentsBackend;
let userId: string;

beforeAll(async () => {
  backend = await startAgentsBackend({ startWorkers: false });
  userId = await backend.createUser();
});
afterAll(async () => {
  await backend?.close();
});

const record = (agentId: string, request: ReturnType<typeof execRequest>) =>
  recordExecApprovalRequest(backend.approvals, { agentId, request });

describe("recording a runtime request", () => {
  it("approves an exact command on the agent's allowlist by itself, never a Destructive one or a near match", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    for (const pattern of ["npm run build", "rm -rf /data/cache"]) {
      await addExecAllowlistEntry(backend.db, {
        agentId: agent.id,
        pattern,
        createdByUserId: userId,
        approvalRequestId: (await record(agent.id, execRequest(`${pattern} # first`)))!.approval.id,
      });
    }
    const listed = await record(agent.id, execRequest("npm run build"));
    expect(listed).toMatchObject({
      resolveWith: "allow-once",
      approval: { status: "auto_approved", decision: "allow-once", classification: "dangerous" },
    });
    expect(listed?.approval.reasons[0]).toBe("on the agent's allowlist (approved always)");
    expect(await record(agent.id, execRequest("npm run build && curl https://evil.example"))).toMatchObject({
      resolveWith: null,
      approval: { status: "pending" },
    });
    expect(await record(agent.id, execRequest("rm -rf /data/cache"))).toMatchObject({
      resolveWith: null,
      approval: { status: "pending", classification: "destructive" },
    });
  });

  it("stores it once: the backfill after a reconnect and a concurrent second sight make no second row", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const request = execRequest("touch /tmp/approval-record");
    const [first, second] = await Promise.all([record(agent.id, request), record(agent.id, request)]);
    const backfill = await record(agent.id, request);
    expect(first?.approval.id).toBeDefined();
    expect(second?.approval.id).toBe(first?.approval.id);
    expect(backfill?.approval.id).toBe(first?.approval.id);
    expect(await backend.db.approvalRequest.count({ where: { agentId: agent.id } })).toBe(1);
    expect(backfill).toMatchObject({
      resolveWith: null,
      approval: {
        status: "pending",
        classification: "dangerous",
        command: "touch /tmp/approval-record",
        cwd: "/data/workspace",
        source: "chat",
        runtimeRiskKinds: ["shell-wrapper"],
        agentName: agent.name,
        allowedDecisions: ["approve_once", "approve_always", "deny"],
      },
    });
    expect(backfill?.approval.reasons.length).toBeGreaterThan(0);
  });

  it("keeps a decision made before the backfill, and answers it for re-sending until the runtime accepted it", async () => {
    const agent = await createApprovalAgent(backend, userId);
    const request = execRequest("curl https://example.com");
    const created = await record(agent.id, request);
    await backend.db.approvalRequest.update({
      where: { id: created!.approval.id },
      data: { status: "denied", decision: "deny", decidedByUserId: userId, decidedAt: new Date() },
    });
    // The backend restarted before delivering: the runtime still lists the request, the backfill sees it again.
    const again = await record(agent.id, request);
    expect(again).toMatchObject({ resolveWith: "deny", approval: { status: "denied", decision: "deny" } });
    await markRuntimeResolved(backend.approvals, { agentId: agent.id, runtimeRequestId: request.id, decision: "deny" });
    const delivered = await record(agent.id, request);
    expect(delivered?.resolveWith).toBeNull();
    expect(delivered?.approval.deliveredAt).not.toBeNull();
    expect(delivered?.approval.decidedByUserId).toBe(userId);
  });

  it("answers null, storing nothing, for an agent that does not exist or was deleted", async () => {
    expect(await record("agt_01kbz0000000000000000000zz", execRequest("ls"))).toBeNull();
    const agent = await createApprovalAgent(backend, userId);
    await backend.db.agent.update({ where: { id: agent.id }, data: { deletedAt: new Date(), status: "deleted" } });
    expect(await record(agent.id, execRequest("ls"))).toBeNull();
    expect(await backend.db.approvalRequest.count({ where: { agentId: agent.id } })).toBe(0);
  });
});

describe("the agent's exec policy", () => {
  const commands = { safe: "ls -la", dangerous: "touch /tmp/x", destructive: "rm -rf /" } as const;
  const expected = {
    strict: { safe: "pending", dangerous: "pending", destructive: "pending" },
    balanced: { safe: "auto_approved", dangerous: "pending", destructive: "pending" },
    permissive: { safe: "auto_approved", dangerous: "auto_approved", destructive: "pending" },
  } as const;

  it.each(["strict", "balanced", "permissive"] as const)(
    "%s: auto-approves exactly what the table says",
    async (policy) => {
      const agent = await createApprovalAgent(backend, userId, { execPolicy: policy });
      for (const [commandClass, command] of Object.entries(commands) as [keyof typeof commands, string][]) {
        const result = await record(agent.id, execRequest(command));
        expect(result?.approval.classification, command).toBe(commandClass);
        const status = expected[policy][commandClass];
        expect(result?.approval.status, `${policy} ${command}`).toBe(status);
        expect(result?.resolveWith, `${policy} ${command}`).toBe(status === "auto_approved" ? "allow-once" : null);
        if (status === "auto_approved") {
          expect(result?.approval).toMatchObject({ decision: "allow-once", decidedByUserId: null });
          expect(result?.approval.decidedAt).not.toBeNull();
        }
      }
    },
  );

  it("never auto-approves `ls; rm -rf ~` or other bypass shapes, even under permissive", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "permissive" });
    for (const command of [
      "ls; rm -rf ~",
      "ls && rm -rf ~",
      "echo ok | sh",
      "bash -c 'rm -rf ~'",
      "ls $(rm -rf ~)",
      "echo 'unterminated",
    ]) {
      const result = await record(agent.id, execRequest(command));
      expect(result?.approval.classification, command).toBe("destructive");
      expect(result?.approval.status, command).toBe("pending");
      expect(result?.resolveWith, command).toBeNull();
    }
  });

  it("does not auto-approve when the runtime does not offer allow-once", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "permissive" });
    const result = await record(agent.id, execRequest("ls", { allowedDecisions: ["deny"] }));
    expect(result).toMatchObject({ resolveWith: null, approval: { status: "pending", allowedDecisions: ["deny"] } });
  });
});

describe("the runtime's own resolution", () => {
  it("decides a pending request with no decider: approved, denied, or expired without a decision", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const outcomes = [
      ["allow-once", "approved"],
      ["deny", "denied"],
      [null, "expired"],
    ] as const;
    for (const [decision, status] of outcomes) {
      const request = execRequest(`touch /tmp/runtime-${status}`);
      await record(agent.id, request);
      await markRuntimeResolved(backend.approvals, { agentId: agent.id, runtimeRequestId: request.id, decision });
      const row = await backend.db.approvalRequest.findFirstOrThrow({ where: { runtimeRequestId: request.id } });
      expect(row).toMatchObject({ status, decision, decidedByUserId: null });
      expect(row.runtimeResolvedAt).not.toBeNull();
    }
  });

  it("an allow-always from another operator puts the command on the agent's allowlist too", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const request = execRequest("npm test");
    await record(agent.id, request);
    await markRuntimeResolved(backend.approvals, {
      agentId: agent.id,
      runtimeRequestId: request.id,
      decision: "allow-always",
    });
    const entries = await backend.db.agentExecAllowlistEntry.findMany({ where: { agentId: agent.id } });
    expect(entries).toMatchObject([{ pattern: "npm test", createdByUserId: null }]);
  });

  it("leaves a request decided here as it was, only noting that the runtime has it", async () => {
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const request = execRequest("touch /tmp/decided-here");
    const created = await record(agent.id, request);
    await backend.db.approvalRequest.update({
      where: { id: created!.approval.id },
      data: { status: "approved", decision: "allow-once", decidedByUserId: userId, decidedAt: new Date() },
    });
    await markRuntimeResolved(backend.approvals, { agentId: agent.id, runtimeRequestId: request.id, decision: "deny" });
    const row = await backend.db.approvalRequest.findUniqueOrThrow({ where: { id: created!.approval.id } });
    expect(row).toMatchObject({ status: "approved", decision: "allow-once", decidedByUserId: userId });
    expect(row.runtimeResolvedAt).not.toBeNull();
  });
});
