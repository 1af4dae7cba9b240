import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCommandClassifier } from "@agentbot/command-classifier";
import { newId } from "@agentbot/db";
import { RUNTIME_DEFAULT_VERSION } from "@agentbot/engine";
import type { ExecScenario } from "@agentbot/engine/testing/openclaw";
import { startExecScenario } from "@agentbot/engine/testing/openclaw";
import { connectOperator, generateDeviceIdentity, operatorMethods } from "@agentbot/openclaw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayTokenContext } from "../src/agents/agent-secrets.ts";
import type { ApprovalServices } from "../src/approvals/approval-services.ts";
import { createApprovalServices } from "../src/approvals/approval-services.ts";
import type { Approver } from "../src/approvals/approver.ts";
import { createApprover } from "../src/approvals/approver.ts";
import { decideApproval } from "../src/approvals/decide-approval.ts";
import { listApprovals } from "../src/approvals/list-approvals.ts";
import { createLogger } from "../src/logger.ts";
import { startAgentsBackend } from "./support/agents-backend.ts";
import type { AgentsBackend } from "./support/agents-backend.ts";

// The approver against the real OpenClaw runtime (one gateway for the file; a boot costs 8–20 s of both cores) and a
// scripted model that asks to run shell commands. Two approver instances share one database, as two backend
// processes would: exactly one holds the agent's connection, and the other takes over when the holder goes away.
// Everything else is real: PostgreSQL, Redis (live channels), the classifier, the runtime's own gate.

let backend: AgentsBackend;
let approvals: ApprovalServices;
let scenario: ExecScenario;
let gatewayToken: string;
let gateway: ExecScenario["gateway"];
let workRoot: string;
let userId: string;
let agentId: string;
const approvers: Approver[] = [];

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "approvals-runtime-"));
  backend = await startAgentsBackend();
  approvals = createApprovalServices({
    db: backend.db,
    kv: backend.kv,
    logger: createLogger({ level: "silent" }),
    classifier: await createCommandClassifier(),
  });
  scenario = await startExecScenario(workRoot);
  ({ gatewayToken, gateway } = scenario);

  userId = await backend.createUser();
  agentId = newId("agent");
  await backend.db.agent.create({
    data: {
      id: agentId,
      userId,
      name: "gatekeeper",
      status: "running",
      engine: "local",
      url: gateway.baseUrl,
      runtimeVersion: RUNTIME_DEFAULT_VERSION,
      plan: "label",
      cpuMillicores: 1000,
      memoryMb: 2048,
      modelProvider: "platform",
      model: "test-model",
      execPolicy: "balanced",
      gatewayTokenCiphertext: backend.services.secrets.seal(gatewayToken, gatewayTokenContext(agentId)),
    },
  });
}, 600_000);

afterAll(async () => {
  await Promise.all(approvers.map((approver) => approver.stop()));
  await scenario?.stop();
  await backend?.close();
  if (workRoot) await rm(workRoot, { recursive: true, force: true });
});

function startApprover(workerId: string): Approver {
  const approver = createApprover({ ...backend.services, workerId }, approvals, {
    // Long enough that a scan delayed by a loaded machine does not hand the agent back and forth between the two.
    leaseMs: 6_000,
    scanIntervalMs: 500,
    clientVersion: "test",
  });
  approvers.push(approver);
  return approver;
}

/** The owner deciding in the dashboard (a session; none of these decisions needs a re-authentication). */
const person = { via: "session" } as const;

const askToRun = (shellCommand: string, session: string) => scenario.askToRun(shellCommand, session);

/** An admin operator connection of our own, standing in for someone else holding the gateway token. */
const adminConnection = () =>
  connectOperator({
    url: scenario.wsUrl,
    auth: { token: gatewayToken },
    device: generateDeviceIdentity(),
    scopes: ["operator.admin", "operator.read"],
    clientVersion: "test",
  });

async function eventually<T>(read: () => Promise<T | undefined | null>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined && value !== null) return value;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const pendingFor = (command: string) => () =>
  backend.db.approvalRequest.findFirst({ where: { agentId, command, status: "pending" } });

describe("the approver with the real runtime", () => {
  let first: Approver;
  let second: Approver;

  it("one connection per agent across instances, and the platform's policy floor applied at connect", async () => {
    // Someone with the gateway token switched exec to run everything unasked before the approver connected.
    const tamper = await adminConnection();
    try {
      const before = await operatorMethods(tamper).configGet();
      expect(before.hash).toBeTruthy();
      await operatorMethods(tamper).configPatch(
        JSON.stringify({ tools: { exec: { mode: "full" } } }),
        before.hash ?? "",
      );
      const tampered = (await operatorMethods(tamper).configGet()) as {
        resolved?: { tools?: { exec?: { mode?: string } } };
      };
      expect(tampered.resolved?.tools?.exec?.mode).toBe("full");
    } finally {
      tamper.close();
    }

    first = startApprover("bki_approver_first");
    second = startApprover("bki_approver_second");
    await first.start();
    await second.start();
    expect([...first.held(), ...second.held()]).toEqual([agentId]);
    expect(first.held()).toEqual([agentId]);

    const admin = await adminConnection();
    try {
      const snapshot = await eventually(async () => {
        const current = await operatorMethods(admin).getExecApprovals();
        return current.file.defaults.askFallback === "deny" ? current : null;
      }, "the host policy floor");
      expect(snapshot.file.defaults).toMatchObject({ security: "allowlist", ask: "on-miss", autoAllowSkills: false });
      // The drift was noticed (an agent event) and the platform's policy is back.
      const drift = await eventually(
        () => backend.db.agentEvent.findFirst({ where: { agentId, type: "exec_policy.drifted" } }),
        "the drift event",
      );
      expect(drift.data).toMatchObject({ found: { mode: "full" } });
      const restored = await eventually(async () => {
        const config = (await operatorMethods(admin).configGet()) as {
          resolved?: { tools?: { exec?: { mode?: string } } };
        };
        return config.resolved?.tools?.exec?.mode === "ask" ? config : null;
      }, "the restored exec policy");
      expect(restored).toBeTruthy();
    } finally {
      admin.close();
    }
  }, 120_000);

  it("a Dangerous command waits, shown with its class and reasons; approving it once runs it", async () => {
    const marker = join(workRoot, "approved-marker");
    const shellCommand = `touch ${marker}`;
    const reply = askToRun(shellCommand, "approve");
    const pending = await eventually(pendingFor(shellCommand), "the pending request");
    expect(pending.classification).toBe("dangerous");
    expect(pending.source).toBe("chat");
    expect(existsSync(marker)).toBe(false);

    const listed = await listApprovals(approvals, { userId, status: "pending", limit: 50 });
    const view = listed.approvals.find((entry) => entry.id === pending.id);
    expect(view).toMatchObject({ agentName: "gatekeeper", classification: "dangerous", command: shellCommand });
    expect(view?.reasons.length).toBeGreaterThan(0);

    // Two clicks at once: one decision.
    const [a, b] = await Promise.all([
      decideApproval(approvals, { userId, approvalId: pending.id, decision: "approve_once", actor: person }),
      decideApproval(approvals, { userId, approvalId: pending.id, decision: "approve_once", actor: person }),
    ]);
    expect(a.status).toBe("approved");
    expect(b.status).toBe("approved");
    const audits = await backend.db.auditEvent.count({ where: { action: "approval.decided", targetId: pending.id } });
    expect(audits).toBe(1);

    await reply;
    expect(existsSync(marker)).toBe(true);
    const delivered = await eventually(
      () => backend.db.approvalRequest.findFirst({ where: { id: pending.id, runtimeResolvedAt: { not: null } } }),
      "delivery",
    );
    expect(delivered.decision).toBe("allow-once");
  }, 240_000);

  it("deny: the command never runs", async () => {
    const marker = join(workRoot, "denied-marker");
    const shellCommand = `touch ${marker}`;
    const reply = askToRun(shellCommand, "deny");
    const pending = await eventually(pendingFor(shellCommand), "the pending request");
    await decideApproval(approvals, { userId, approvalId: pending.id, decision: "deny", actor: person });
    const text = await reply;
    expect(text.toLowerCase()).toMatch(/den(y|ied)/);
    expect(existsSync(marker)).toBe(false);
    // Another user's request answers 404, as if it did not exist.
    const stranger = await backend.createUser();
    await expect(
      decideApproval(approvals, { userId: stranger, approvalId: pending.id, decision: "approve_once", actor: person }),
    ).rejects.toMatchObject({ status: 404 });
  }, 240_000);

  it("a Safe command under balanced runs with no human and is recorded as auto-approved", async () => {
    const word = `safe-${randomBytes(4).toString("hex")}`;
    const shellCommand = `echo ${word}`;
    const text = await askToRun(shellCommand, "safe");
    expect(text).toContain(word);
    const row = await backend.db.approvalRequest.findFirstOrThrow({ where: { agentId, command: shellCommand } });
    expect(row).toMatchObject({ status: "auto_approved", classification: "safe", decision: "allow-once" });
  }, 240_000);

  it("`ls; rm -rf ~` is never auto-approved, even under permissive, and needs the agent's name typed back", async () => {
    await backend.db.agent.update({ where: { id: agentId }, data: { execPolicy: "permissive" } });
    const shellCommand = "ls; rm -rf ~";
    const reply = askToRun(shellCommand, "bypass");
    const pending = await eventually(pendingFor(shellCommand), "the pending request");
    expect(pending.classification).toBe("destructive");
    const approve = () =>
      decideApproval(approvals, { userId, approvalId: pending.id, decision: "approve_once", actor: person });
    await expect(approve()).rejects.toMatchObject({ status: 403, code: "reauthentication_required" });
    await backend.db.user.update({ where: { id: userId }, data: { reauthenticatedAt: new Date() } });
    await expect(approve()).rejects.toMatchObject({ status: 400 });
    await decideApproval(approvals, { userId, approvalId: pending.id, decision: "deny", actor: person });
    await reply;
    await backend.db.agent.update({ where: { id: agentId }, data: { execPolicy: "balanced" } });
  }, 240_000);

  it("when the holder goes away, the other instance takes over, backfills the pending request and delivers", async () => {
    const marker = join(workRoot, "takeover-marker");
    const shellCommand = `touch ${marker}`;
    const reply = askToRun(shellCommand, "takeover");
    const pending = await eventually(pendingFor(shellCommand), "the pending request");
    // The holder dies without releasing (its lease simply stops being renewed).
    const holder = first.held().length > 0 ? first : second;
    const other = holder === first ? second : first;
    await holder.stop();
    await backend.db.agent.update({
      where: { id: agentId },
      data: { approverLeaseHolder: "bki_dead_instance", approverLeaseExpiresAt: new Date(Date.now() + 1_000) },
    });
    await eventually(() => Promise.resolve(other.held().includes(agentId) ? true : null), "the takeover", 30_000);
    await decideApproval(approvals, { userId, approvalId: pending.id, decision: "approve_once", actor: person });
    await reply;
    expect(existsSync(marker)).toBe(true);
  }, 240_000);
});
