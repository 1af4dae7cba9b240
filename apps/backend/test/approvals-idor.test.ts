import { newId } from "@agentbot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { createApprovalAgent } from "./support/approvals.ts";

// Tenant isolation of approval requests over the backend's HTTP routes: another user's request is invisible in
// lists and answers 404 to a decision, exactly like one that does not exist; bad input names the field.

let backend: AgentsBackend;
let owner: string;
let stranger: string;
let approvalId: string;
let ownedAgentId: string;

beforeAll(async () => {
  backend = await startAgentsBackend({ startWorkers: false });
  owner = await backend.createUser();
  stranger = await backend.createUser();
  const agent = await createApprovalAgent(backend, owner, { name: "owned" });
  const agentId = agent.id;
  ownedAgentId = agentId;
  approvalId = newId("approvalRequest");
  await backend.db.approvalRequest.create({
    data: {
      id: approvalId,
      userId: owner,
      agentId,
      kind: "exec",
      runtimeRequestId: "runtime-1",
      command: "touch /tmp/x",
      classification: "dangerous",
      reasons: ["dangerous [touch] touch /tmp/x: writes files"],
      source: "chat",
      status: "pending",
      runtimeAnalysis: { riskKinds: [], allowedDecisions: ["allow-once", "deny"] },
      expiresAt: new Date(Date.now() + 30 * 60_000),
    },
  });
});
afterAll(async () => {
  await backend?.close();
});

/** The owner (or the stranger) in the dashboard: a session. */
const actor = { via: "session" };

function call(path: string, init: RequestInit = {}) {
  return fetch(`${backend.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${backend.token}`, "content-type": "application/json" },
  });
}

describe("approval requests are per tenant", () => {
  it("the owner sees the request; another user's list is empty", async () => {
    const mine = (await (await call(`/api/users/${owner}/approvals`)).json()) as { approvals: { id: string }[] };
    expect(mine.approvals.map((entry) => entry.id)).toEqual([approvalId]);
    const theirs = (await (await call(`/api/users/${stranger}/approvals?status=any`)).json()) as {
      approvals: unknown[];
    };
    expect(theirs.approvals).toEqual([]);
  });

  it("another user's decision answers 404 and changes nothing", async () => {
    const response = await call(`/api/users/${stranger}/approvals/${approvalId}/decision`, {
      method: "POST",
      body: JSON.stringify({ decision: "approve_once", actor }),
    });
    expect(response.status).toBe(404);
    const row = await backend.db.approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    expect(row.status).toBe("pending");
  });

  it("a decision that is not offered (always, for a Destructive command), or an unknown one, is a 400 naming the field", async () => {
    const destructiveId = newId("approvalRequest");
    await backend.db.approvalRequest.create({
      data: {
        id: destructiveId,
        userId: owner,
        agentId: ownedAgentId,
        kind: "exec",
        runtimeRequestId: "runtime-destructive",
        command: "rm -rf /data",
        classification: "destructive",
        reasons: [],
        source: "chat",
        status: "pending",
        runtimeAnalysis: { riskKinds: [], allowedDecisions: ["allow-once", "allow-always", "deny"] },
        expiresAt: new Date(Date.now() + 30 * 60_000),
      },
    });
    const always = await call(`/api/users/${owner}/approvals/${destructiveId}/decision`, {
      method: "POST",
      body: JSON.stringify({ decision: "approve_always", actor }),
    });
    expect(always.status).toBe(400);
    expect(JSON.stringify(await always.json())).toContain("decision");
    const unknown = await call(`/api/users/${owner}/approvals/${approvalId}/decision`, {
      method: "POST",
      body: JSON.stringify({ decision: "yes please", actor }),
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("decision");
    // Settled, so the later count sees only the first request.
    await backend.db.approvalRequest.update({ where: { id: destructiveId }, data: { status: "denied" } });
  });

  it("the owner's deny is recorded once and repeating it is not an error; approving afterwards is a 409", async () => {
    const deny = () =>
      call(`/api/users/${owner}/approvals/${approvalId}/decision`, {
        method: "POST",
        body: JSON.stringify({ decision: "deny", actor }),
      });
    expect((await deny()).status).toBe(200);
    const again = await deny();
    expect(again.status).toBe(200);
    expect(((await again.json()) as { status: string }).status).toBe("denied");
    const late = await call(`/api/users/${owner}/approvals/${approvalId}/decision`, {
      method: "POST",
      body: JSON.stringify({ decision: "approve_once", actor }),
    });
    expect(late.status).toBe(409);
    expect(await backend.db.auditEvent.count({ where: { action: "approval.decided", targetId: approvalId } })).toBe(1);
  });

  it("the exec policy: another user's change is 404; the owner's is applied, shown and audited; bad values name the field", async () => {
    const put = (userId: string, body: unknown) =>
      call(`/api/users/${userId}/agents/${ownedAgentId}/exec-policy`, { method: "PUT", body: JSON.stringify(body) });
    expect((await put(stranger, { execPolicy: "permissive" })).status).toBe(404);
    const bad = await put(owner, { execPolicy: "yolo" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("execPolicy");
    const changed = await put(owner, { execPolicy: "strict" });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { execPolicy: string }).execPolicy).toBe("strict");
    const audit = await backend.db.auditEvent.findFirstOrThrow({
      where: { action: "agent.exec_policy.changed", targetId: ownedAgentId },
    });
    expect(audit.metadata).toEqual({ from: "balanced", to: "strict" });
  });

  it("the pending count, the live stream and the allowlist show only the user's own", async () => {
    const count = async (userId: string) =>
      ((await (await call(`/api/users/${userId}/approvals/pending-count`)).json()) as { pending: number }).pending;
    await backend.db.approvalRequest.create({
      data: {
        id: newId("approvalRequest"),
        userId: owner,
        agentId: ownedAgentId,
        kind: "exec",
        runtimeRequestId: "runtime-2",
        command: "npm test",
        classification: "dangerous",
        source: "chat",
        status: "pending",
        expiresAt: new Date(Date.now() + 30 * 60_000),
      },
    });
    expect(await count(owner)).toBe(1);
    expect(await count(stranger)).toBe(0);

    const stream = await backend.client.streamApprovals(stranger);
    const first = await stream[Symbol.asyncIterator]().next();
    stream.close();
    expect(first.value).toEqual({ type: "snapshot", approvals: [] });

    await backend.db.agentExecAllowlistEntry.create({
      data: { id: newId("agentExecAllowlistEntry"), agentId: ownedAgentId, pattern: "npm test" },
    });
    const allowlist = `/api/users/${stranger}/agents/${ownedAgentId}/exec-allowlist`;
    expect((await call(allowlist)).status).toBe(404);
    const entry = await backend.db.agentExecAllowlistEntry.findFirstOrThrow({ where: { agentId: ownedAgentId } });
    expect((await call(`${allowlist}/${entry.id}`, { method: "DELETE" })).status).toBe(404);
    // The entry is still there for its owner.
    const mine = (await (await call(`/api/users/${owner}/agents/${ownedAgentId}/exec-allowlist`)).json()) as {
      entries: { id: string }[];
    };
    expect(mine.entries.map((listed) => listed.id)).toEqual([entry.id]);
  });

  it("a decision without the actor is a 400 naming body.actor", async () => {
    const response = await fetch(`${backend.baseUrl}/api/users/${owner}/approvals/${approvalId}/decision`, {
      method: "POST",
      headers: { authorization: `Bearer ${backend.token}`, "content-type": "application/json" },
      body: JSON.stringify({ decision: "deny" }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("body.actor");
  });
});
