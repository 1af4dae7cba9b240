import type { ApprovalStreamEvent } from "@agentbot/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "../src/approvals/decide-approval.ts";
import { recordExecApprovalRequest } from "../src/approvals/record-approval-request.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";
import { createApprovalAgent, execRequest } from "./support/approvals.ts";

// The live approvals stream over the backend's HTTP route, read with the typed client (each event validated against
// the contract): a snapshot of what is pending, then created and decided events as they happen, through Redis.

let backend: AgentsBackend;

beforeAll(async () => {
  backend = await startAgentsBackend({ startWorkers: false });
});
afterAll(async () => {
  await backend?.close();
});

/** Reads events from the stream until `done` says so; fails after `timeoutMs`. */
async function readUntil(
  iterator: AsyncIterator<ApprovalStreamEvent>,
  done: (event: ApprovalStreamEvent) => boolean,
  timeoutMs = 10_000,
): Promise<ApprovalStreamEvent> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), deadline - Date.now())),
    ]);
    if (next === "timeout") break;
    if (next.done) throw new Error("the stream ended");
    if (done(next.value)) return next.value;
  }
  throw new Error("timed out waiting for an approval event");
}

describe("the approvals stream", () => {
  it("starts with the pending requests, then delivers created and decided events of the user only", async () => {
    const userId = await backend.createUser();
    const stranger = await backend.createUser();
    const agent = await createApprovalAgent(backend, userId, { execPolicy: "strict" });
    const theirs = await createApprovalAgent(backend, stranger, { execPolicy: "strict" });
    const before = await recordExecApprovalRequest(backend.approvals, {
      agentId: agent.id,
      request: execRequest("touch /tmp/before-stream"),
    });

    const abort = new AbortController();
    const stream = await backend.client.streamApprovals(userId, { signal: abort.signal });
    const iterator = stream[Symbol.asyncIterator]();
    try {
      const snapshot = await readUntil(iterator, (event) => event.type === "snapshot");
      expect(snapshot.type === "snapshot" && snapshot.approvals.map((approval) => approval.id)).toEqual([
        before!.approval.id,
      ]);

      await recordExecApprovalRequest(backend.approvals, {
        agentId: theirs.id,
        request: execRequest("touch /tmp/someone-else"),
      });
      const created = await recordExecApprovalRequest(backend.approvals, {
        agentId: agent.id,
        request: execRequest("touch /tmp/during-stream"),
      });
      const createdEvent = await readUntil(iterator, (event) => event.type === "created");
      expect(createdEvent).toMatchObject({
        type: "created",
        approval: {
          id: created!.approval.id,
          status: "pending",
          agentName: agent.name,
          command: "touch /tmp/during-stream",
        },
      });

      await decideApproval(backend.approvals, {
        userId,
        approvalId: created!.approval.id,
        decision: "deny",
        actor: { via: "session" },
      });
      const decidedEvent = await readUntil(iterator, (event) => event.type === "decided");
      expect(decidedEvent).toMatchObject({
        type: "decided",
        approval: { id: created!.approval.id, status: "denied", decision: "deny", decidedByUserId: userId },
      });
    } finally {
      abort.abort();
      stream.close();
    }
  });
});
