import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalActor } from "@agentbot/contracts";
import { createApprovalServices } from "../src/approvals/approval-services.ts";
import type { ApprovalServices } from "../src/approvals/approval-services.ts";
import { decideApproval } from "../src/approvals/decide-approval.ts";
import { listExecAllowlist } from "../src/approvals/list-exec-allowlist.ts";
import { recordExecApprovalRequest } from "../src/approvals/record-approval-request.ts";
import { removeExecAllowlistEntry } from "../src/approvals/remove-exec-allowlist-entry.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { createApprovalAgent, execRequest, runtimeStandIn } from "./support/approvals.ts";

// A human's decision: exactly once under concurrency, audited, sent to the runtime through the resolver port (here
// the runtime stand-in, the one outside boundary), and for Destructive commands only after a fresh password
// re-authentication and the agent's name typed back. Real PostgreSQL and Redis.

let backend: AgentsBackend;
let userId: string;

const session: ApprovalActor = { via: "session", ip: "203.0.113.7", userAgent: "test-browser" };
const apiKey: ApprovalActor = { via: "api_key", apiKeyId: "key_test" };

beforeAll(async () => {
  backend = await startAgentsBackend({ startWorkers: false });
  userId = await backend.createUser();
});
afterAll(async () => {
  await backend?.close();
});

function servicesWith(runtime: ReturnType<typeof runtimeStandIn>): ApprovalServices {
  return createApprovalServices({
    db: backend.db,
    kv: backend.kv,
    logger: backend.approvals.logger,
    classifier: backend.approvals.classifier,
    resolver: runtime.resolver,
  });
}

async function pendingRequest(services: ApprovalServices, command: string, agentName?: string) {
  const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict", name: agentName });
  const request = execRequest(command);
  const recorded = await recordExecApprovalRequest(services, { agentId: agent.id, request });
  return { agent, request, approvalId: recorded!.approval.id };
}

describe("deciding", () => {
  it("two decisions at once make one: one audit event, one call to the runtime, both answers the same", async () => {
    const runtime = runtimeStandIn("resolved");
    const services = servicesWith(runtime);
    const { agent, request, approvalId } = await pendingRequest(services, "touch /tmp/concurrent");
    const decide = () => decideApproval(services, { userId, approvalId, decision: "approve_once", actor: session });
    const answers = await Promise.all([decide(), decide(), decide()]);
    for (const answer of answers) expect(answer).toMatchObject({ status: "approved", decision: "allow-once" });
    expect(runtime.resolved).toEqual([{ agentId: agent.id, runtimeRequestId: request.id, decision: "allow-once" }]);
    const audits = await backend.db.auditEvent.findMany({
      where: { action: "approval.decided", targetId: approvalId },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUserId: userId,
      subjectUserId: userId,
      ip: "203.0.113.7",
      userAgent: "test-browser",
      metadata: { classification: "dangerous", decision: "allow-once", via: "session", allowlisted: false },
    });
    expect(JSON.stringify(audits[0]?.metadata)).not.toContain("/tmp/concurrent");
    const row = await backend.db.approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    expect(row.runtimeResolvedAt).not.toBeNull();
    expect(row.decidedByUserId).toBe(userId);
  });

  it("a runtime that is unavailable leaves the decision recorded and undelivered, answered again at the backfill", async () => {
    const runtime = runtimeStandIn("unavailable");
    const services = servicesWith(runtime);
    const { agent, request, approvalId } = await pendingRequest(services, "touch /tmp/unavailable");
    const decided = await decideApproval(services, { userId, approvalId, decision: "deny", actor: session });
    expect(decided).toMatchObject({ status: "denied", deliveredAt: null });
    expect(runtime.resolved).toHaveLength(1);
    const backfill = await recordExecApprovalRequest(services, { agentId: agent.id, request });
    expect(backfill?.resolveWith).toBe("deny");
  });

  it("a runtime that had resolved it already counts as delivered", async () => {
    const services = servicesWith(runtimeStandIn("already_resolved"));
    const { approvalId } = await pendingRequest(services, "touch /tmp/already");
    const decided = await decideApproval(services, { userId, approvalId, decision: "approve_once", actor: session });
    expect(decided.deliveredAt).not.toBeNull();
  });

  it("repeating the decision is not an error; a different one afterwards is a 409 naming the state", async () => {
    const runtime = runtimeStandIn();
    const services = servicesWith(runtime);
    const { approvalId } = await pendingRequest(services, "touch /tmp/repeat");
    await decideApproval(services, { userId, approvalId, decision: "deny", actor: session });
    await expect(
      decideApproval(services, { userId, approvalId, decision: "deny", actor: session }),
    ).resolves.toMatchObject({ status: "denied" });
    await expect(
      decideApproval(services, { userId, approvalId, decision: "approve_once", actor: session }),
    ).rejects.toMatchObject({ status: 409, code: "conflict", message: expect.stringContaining("denied") as unknown });
    expect(runtime.resolved).toHaveLength(1);
  });

  it("a request past its expiry cannot be decided (409 expired), and nothing is sent", async () => {
    const runtime = runtimeStandIn();
    const services = servicesWith(runtime);
    const { approvalId } = await pendingRequest(services, "touch /tmp/late");
    await backend.db.approvalRequest.update({
      where: { id: approvalId },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expect(
      decideApproval(services, { userId, approvalId, decision: "approve_once", actor: session }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringContaining("expired") as unknown });
    expect(runtime.resolved).toHaveLength(0);
  });

  it("another user's request is a 404, like one that does not exist", async () => {
    const services = servicesWith(runtimeStandIn());
    const { approvalId } = await pendingRequest(services, "touch /tmp/other");
    const stranger = await backend.createUser();
    await expect(
      decideApproval(services, { userId: stranger, approvalId, decision: "deny", actor: session }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      decideApproval(services, {
        userId,
        approvalId: "apr_01kbz0000000000000000000zz",
        decision: "deny",
        actor: session,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("a Destructive command", () => {
  const setReauthenticatedAt = (at: Date | null) =>
    backend.db.user.update({ where: { id: userId }, data: { reauthenticatedAt: at } });

  it("needs a re-authentication within 5 minutes, then the agent's name typed back", async () => {
    const runtime = runtimeStandIn();
    const services = servicesWith(runtime);
    const { approvalId, agent } = await pendingRequest(services, "rm -rf ~", `wipe-${Date.now().toString(36)}`);
    const approve = (confirmAgentName?: string, actor: ApprovalActor = session) =>
      decideApproval(services, { userId, approvalId, decision: "approve_once", confirmAgentName, actor });

    await setReauthenticatedAt(null);
    await expect(approve(agent.name)).rejects.toMatchObject({ status: 403, code: "reauthentication_required" });
    await setReauthenticatedAt(new Date(Date.now() - 6 * 60_000));
    await expect(approve(agent.name)).rejects.toMatchObject({ status: 403, code: "reauthentication_required" });

    await setReauthenticatedAt(new Date(Date.now() - 60_000));
    for (const wrong of [undefined, "", agent.name.toUpperCase(), `${agent.name} `]) {
      const refusal = await approve(wrong).catch((error: unknown) => error as { status: number; details: unknown });
      expect(refusal).toMatchObject({ status: 400, code: "validation_failed" });
      expect(JSON.stringify((refusal as { details: unknown }).details)).toContain("body.confirmAgentName");
    }
    expect(runtime.resolved).toHaveLength(0);
    expect(await backend.db.approvalRequest.findUniqueOrThrow({ where: { id: approvalId } })).toMatchObject({
      status: "pending",
    });

    await expect(approve(agent.name)).resolves.toMatchObject({ status: "approved", classification: "destructive" });
    expect(runtime.resolved).toHaveLength(1);
  });

  it("can never be approved with an API key, even right after the owner re-authenticated; denying works", async () => {
    const services = servicesWith(runtimeStandIn());
    const { approvalId, agent } = await pendingRequest(services, "dd if=/dev/zero of=/dev/sda");
    await setReauthenticatedAt(new Date());
    const refusal = await decideApproval(services, {
      userId,
      approvalId,
      decision: "approve_once",
      confirmAgentName: agent.name,
      actor: apiKey,
    }).catch((error: unknown) => error as { status: number; code: string; message: string });
    expect(refusal).toMatchObject({ status: 403, code: "reauthentication_required" });
    expect((refusal as { message: string }).message).toContain("API key");
    await expect(
      decideApproval(services, { userId, approvalId, decision: "deny", actor: apiKey }),
    ).resolves.toMatchObject({ status: "denied" });
    const audit = await backend.db.auditEvent.findFirstOrThrow({ where: { targetId: approvalId } });
    expect(audit.metadata).toMatchObject({ via: "api_key", apiKeyId: "key_test", classification: "destructive" });
  });
});

describe("approve always and the allowlist", () => {
  it("is offered whenever the runtime can run the command once, and never for a Destructive command", async () => {
    const services = servicesWith(runtimeStandIn());
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const onceOnly = await recordExecApprovalRequest(services, {
      agentId: agent.id,
      request: execRequest("touch /tmp/offered", { allowedDecisions: ["allow-once", "deny"] }),
    });
    expect(onceOnly?.approval.allowedDecisions).toEqual(["approve_once", "approve_always", "deny"]);
    const destructive = await recordExecApprovalRequest(services, {
      agentId: agent.id,
      request: execRequest("rm -rf /data"),
    });
    expect(destructive?.approval.allowedDecisions).toEqual(["approve_once", "deny"]);
    await backend.db.user.update({ where: { id: userId }, data: { reauthenticatedAt: new Date() } });
    const refusal = await decideApproval(services, {
      userId,
      approvalId: destructive!.approval.id,
      decision: "approve_always",
      confirmAgentName: agent.name,
      actor: session,
    }).catch((error: unknown) => error as { status: number; code: string; message: string });
    expect(refusal).toMatchObject({
      status: 400,
      code: "validation_failed",
      message: expect.stringContaining("never added to the allowlist") as unknown,
    });
  });

  it("adds the exact command, shown in the agent's list; removing it asks the runtime too and is audited", async () => {
    const runtime = runtimeStandIn();
    const services = servicesWith(runtime);
    const { agent, approvalId } = await pendingRequest(services, "npm run build");
    await decideApproval(services, { userId, approvalId, decision: "approve_always", actor: session });
    expect(runtime.resolved.at(-1)?.decision).toBe("allow-always");
    const listed = await listExecAllowlist(services, { userId, agentId: agent.id });
    expect(listed.entries).toMatchObject([{ pattern: "npm run build", createdByUserId: userId, approvalId }]);

    const stranger = await backend.createUser();
    const entryId = listed.entries[0]!.id;
    await expect(listExecAllowlist(services, { userId: stranger, agentId: agent.id })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      removeExecAllowlistEntry(services, { userId: stranger, agentId: agent.id, entryId }),
    ).rejects.toMatchObject({ status: 404 });
    expect(runtime.removed).toHaveLength(0);

    const removed = await removeExecAllowlistEntry(services, { userId, agentId: agent.id, entryId });
    expect(removed).toMatchObject({ entry: { pattern: "npm run build" }, runtime: "removed" });
    expect(runtime.removed).toEqual([{ agentId: agent.id, pattern: "npm run build" }]);
    expect((await listExecAllowlist(services, { userId, agentId: agent.id })).entries).toEqual([]);
    await expect(removeExecAllowlistEntry(services, { userId, agentId: agent.id, entryId })).rejects.toMatchObject({
      status: 404,
    });
    const audit = await backend.db.auditEvent.findFirstOrThrow({
      where: { action: "agent.exec_allowlist.removed", targetId: agent.id },
    });
    expect(JSON.stringify(audit.metadata)).not.toContain("npm run build");
  });
});
