import { createOutboxProvider, listOutbox } from "@agentbot/email";
import type { EmailProvider } from "@agentbot/email";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalChannels, createApprovalServices } from "../src/approvals/approval-services.ts";
import type { ApprovalServices } from "../src/approvals/approval-services.ts";
import { createApprovalSweeper } from "../src/approvals/approval-sweeper.ts";
import { recordExecApprovalRequest } from "../src/approvals/record-approval-request.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { createApprovalAgent, execRequest } from "./support/approvals.ts";

// The approvals' periodic work: requests past their expiry become `expired` (and the live stream hears it), and a
// request that has waited too long is emailed to its owner exactly once. Time is injected; email goes to the real
// outbox table.

let backend: AgentsBackend;
let clock: Date;

beforeAll(async () => {
  backend = await startAgentsBackend({ startWorkers: false });
});
afterAll(async () => {
  await backend?.close();
});

function services(email: EmailProvider | null): ApprovalServices {
  return createApprovalServices({
    db: backend.db,
    kv: backend.kv,
    logger: backend.approvals.logger,
    classifier: backend.approvals.classifier,
    email,
    webUrl: "https://agentbot.example",
    notifyAfterMs: 180_000,
    now: () => clock,
  });
}

const outbox = () => createOutboxProvider({ db: backend.db, from: "Agentbot <no-reply@agentbot.localhost>" });

describe("expiry", () => {
  it("marks pending requests past their expiry expired, publishes it, and leaves the others alone", async () => {
    clock = new Date();
    const userId = await backend.createUser();
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const approvals = services(null);
    const overdue = await recordExecApprovalRequest(approvals, {
      agentId: agent.id,
      request: execRequest("touch /tmp/overdue", { expiresInMs: 1_000 }),
    });
    const current = await recordExecApprovalRequest(approvals, {
      agentId: agent.id,
      request: execRequest("touch /tmp/current"),
    });
    const heard: string[] = [];
    const unsubscribe = await backend.kv.subscribe(approvalChannels.user(userId), (message) => heard.push(message));
    try {
      clock = new Date(Date.now() + 5_000);
      const swept = await createApprovalSweeper(approvals).sweepOnce();
      expect(swept.expired).toBeGreaterThanOrEqual(1);
      const rows = await backend.db.approvalRequest.findMany({ where: { agentId: agent.id }, orderBy: { id: "asc" } });
      expect(rows.map((row) => [row.id, row.status])).toEqual([
        [overdue!.approval.id, "expired"],
        [current!.approval.id, "pending"],
      ]);
      await expect
        .poll(() => heard.map((text) => JSON.parse(text) as unknown))
        .toContainEqual({
          type: "decided",
          approvalId: overdue!.approval.id,
        });
      // A second sweep finds nothing new to expire for this agent.
      await createApprovalSweeper(approvals).sweepOnce();
      expect(await backend.db.approvalRequest.count({ where: { agentId: agent.id, status: "expired" } })).toBe(1);
    } finally {
      await unsubscribe();
    }
  });
});

describe("the waiting email", () => {
  it("is sent once per request, after APPROVAL_NOTIFY_AFTER_SECONDS, one email per owner per sweep", async () => {
    const userId = await backend.createUser();
    const user = await backend.db.user.findUniqueOrThrow({ where: { id: userId } });
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict", name: "mailer" });
    const approvals = services(outbox());
    const sweeper = createApprovalSweeper(approvals);
    const raisedAt = Date.now();
    clock = new Date(raisedAt);
    for (const command of ["touch /tmp/a", "rm -rf /tmp/b"]) {
      await recordExecApprovalRequest(approvals, {
        agentId: agent.id,
        request: execRequest(command, { createdAtMs: raisedAt }),
      });
    }

    clock = new Date(raisedAt + 179_000);
    await sweeper.sweepOnce();
    expect(await listOutbox(backend.db, { to: user.email })).toHaveLength(0);

    clock = new Date(raisedAt + 181_000);
    await sweeper.sweepOnce();
    await sweeper.sweepOnce();
    clock = new Date(raisedAt + 600_000);
    await sweeper.sweepOnce();
    const sent = await listOutbox(backend.db, { to: user.email });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      template: "approval_waiting",
      subject: "2 agent commands are waiting for approval",
    });
    const message = await backend.db.emailMessage.findUniqueOrThrow({ where: { id: sent[0]!.id } });
    expect(message.text).toContain("mailer: a destructive command");
    expect(message.text).toContain("https://agentbot.example/approvals");
    // The commands themselves stay out of the email.
    expect(message.text).not.toContain("/tmp/b");
    const notified = await backend.db.approvalRequest.findMany({ where: { agentId: agent.id } });
    expect(notified.every((row) => row.notifiedAt !== null)).toBe(true);
  });

  it("a failed send gives the claim back, so the next sweep sends it", async () => {
    const userId = await backend.createUser();
    const user = await backend.db.user.findUniqueOrThrow({ where: { id: userId } });
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const raisedAt = Date.now();
    clock = new Date(raisedAt);
    const failing: EmailProvider = { kind: "resend", send: () => Promise.reject(new Error("Resend answered 503")) };
    await recordExecApprovalRequest(services(failing), {
      agentId: agent.id,
      request: execRequest("touch /tmp/retry", { createdAtMs: raisedAt }),
    });
    clock = new Date(raisedAt + 200_000);
    await createApprovalSweeper(services(failing)).sweepOnce();
    const row = await backend.db.approvalRequest.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(row.notifiedAt).toBeNull();
    await createApprovalSweeper(services(outbox())).sweepOnce();
    expect(await listOutbox(backend.db, { to: user.email })).toHaveLength(1);
  });

  it("is not sent for requests decided or expired before the delay", async () => {
    const userId = await backend.createUser();
    const user = await backend.db.user.findUniqueOrThrow({ where: { id: userId } });
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const raisedAt = Date.now();
    clock = new Date(raisedAt);
    const approvals = services(outbox());
    const decided = await recordExecApprovalRequest(approvals, {
      agentId: agent.id,
      request: execRequest("touch /tmp/decided", { createdAtMs: raisedAt }),
    });
    await backend.db.approvalRequest.update({ where: { id: decided!.approval.id }, data: { status: "denied" } });
    await recordExecApprovalRequest(approvals, {
      agentId: agent.id,
      request: execRequest("touch /tmp/short", { createdAtMs: raisedAt, expiresInMs: 60_000 }),
    });
    clock = new Date(raisedAt + 200_000);
    await createApprovalSweeper(approvals).sweepOnce();
    expect(await listOutbox(backend.db, { to: user.email })).toHaveLength(0);
  });
});
