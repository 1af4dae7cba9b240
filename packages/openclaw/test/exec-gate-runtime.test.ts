import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect as netConnect, createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUNTIME_DEFAULT_VERSION } from "@agentbot/engine";
import type { ExecScenario } from "@agentbot/engine/testing/openclaw";
import { startExecScenario } from "@agentbot/engine/testing/openclaw";
import type { ExecApprovalRequest, OperatorConnection } from "../src/index.ts";
import {
  connectOperator,
  ExecApprovalRequest as ExecApprovalRequestSchema,
  generateDeviceIdentity,
  operatorMethods,
  startOperatorClient,
} from "../src/index.ts";

// The real OpenClaw runtime (pinned version, cached by the launcher) with the config the platform generates, and a
// scripted model that asks to run a shell command. Proves the runtime itself gates every command: it waits for an
// approver, runs nothing before a decision, nothing after a deny, and denies at once when no approver is connected.
// Also proves the operator client (handshake with a signed device identity, typed methods, reconnect + backfill)
// against the same gateway. One gateway for the whole file: a boot costs 8–20 s of both cores.

const scopes = ["operator.admin", "operator.approvals", "operator.read", "operator.write"] as const;

let scenario: ExecScenario;
let workRoot: string;
let wsUrl: string;
let gatewayToken: string;
let gateway: ExecScenario["gateway"];

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), "openclaw-exec-gate-"));
  scenario = await startExecScenario(workRoot);
  ({ wsUrl, gatewayToken, gateway } = scenario);
}, 600_000);

afterAll(async () => {
  await scenario?.stop();
  if (workRoot) await rm(workRoot, { recursive: true, force: true });
});

function connect(): Promise<OperatorConnection> {
  return connectOperator({
    url: wsUrl,
    auth: { token: gatewayToken },
    device: generateDeviceIdentity(),
    scopes,
    caps: ["exec-approvals"],
    clientVersion: "test",
    displayName: "agentbot test approver",
  });
}

const askToRun = (shellCommand: string, session: string) => scenario.askToRun(shellCommand, session);

function nextApproval(connection: OperatorConnection, command: string): Promise<ExecApprovalRequest> {
  return new Promise((resolveApproval) => {
    const stop = connection.onEvent((event, payload) => {
      if (event !== "exec.approval.requested") return;
      const parsed = ExecApprovalRequestSchema.safeParse(payload);
      if (parsed.success && parsed.data.command === command) {
        stop();
        resolveApproval(parsed.data);
      }
    });
  });
}

describe("exec approvals enforced by the real runtime", () => {
  it("handshake: protocol 4 with the scopes asked for, and the methods the platform uses", async () => {
    const connection = await connect();
    try {
      expect(connection.hello.protocol).toBe(4);
      expect(connection.hello.server.version).toBe(RUNTIME_DEFAULT_VERSION);
      expect([...connection.hello.auth.scopes].sort()).toEqual([...scopes].sort());
      for (const method of ["exec.approval.list", "exec.approval.resolve", "exec.approvals.get", "config.get"]) {
        expect(connection.hello.features.methods).toContain(method);
      }
      expect(connection.hello.features.events).toContain("exec.approval.requested");
      const methods = operatorMethods(connection);
      // The platform's policy in the generated config, as the runtime itself reads it back.
      const config = (await methods.configGet()) as { resolved?: { tools?: { exec?: unknown } } };
      expect(config.resolved?.tools?.exec).toMatchObject({ host: "gateway", mode: "ask" });
      // A wrong method answers the gateway's error code, not a hang.
      await expect(connection.request("no.such.method", {})).rejects.toMatchObject({ name: "OperatorError" });
    } finally {
      connection.close();
    }
  }, 60_000);

  it("a wrong gateway token is refused at connect", async () => {
    await expect(
      connectOperator({
        url: wsUrl,
        auth: { token: randomBytes(32).toString("base64url") },
        device: generateDeviceIdentity(),
        scopes,
        clientVersion: "test",
      }),
    ).rejects.toMatchObject({ name: "OperatorError" });
  }, 60_000);

  it("a command waits for the approver, does not run before the decision, and never runs after a deny", async () => {
    const marker = join(workRoot, "denied-marker");
    const shellCommand = `touch ${marker}`;
    const connection = await connect();
    try {
      const requested = nextApproval(connection, shellCommand);
      const reply = askToRun(shellCommand, "deny-test");
      const approval = await requested;
      expect(approval.command).toBe(shellCommand);
      expect(approval.allowedDecisions).toContain("deny");
      expect(approval.expiresAtMs).toBeGreaterThan(Date.now());
      // Listed for backfill while pending, and nothing ran yet.
      const pending = await operatorMethods(connection).listExecApprovals();
      expect(pending.map((entry) => entry.id)).toContain(approval.id);
      expect(existsSync(marker)).toBe(false);

      const resolved = new Promise<unknown>((resolveEvent) =>
        connection.onEvent((event, payload) => {
          if (event === "exec.approval.resolved") resolveEvent(payload);
        }),
      );
      await operatorMethods(connection).resolveExecApproval(approval.id, "deny");
      expect(await resolved).toMatchObject({ id: approval.id, decision: "deny" });
      // Resolving again with the same decision is not an error (two clicks, two backend instances).
      await operatorMethods(connection).resolveExecApproval(approval.id, "deny");
      const text = await reply;
      expect(text).toMatch(/^Command result:/);
      expect(text.toLowerCase()).toMatch(/den(y|ied)/);
      expect(existsSync(marker)).toBe(false);
    } finally {
      connection.close();
    }
  }, 240_000);

  it("approve once: the command runs and its output reaches the chat reply", async () => {
    const marker = join(workRoot, "approved-marker");
    const word = `out-${randomBytes(4).toString("hex")}`;
    const shellCommand = `touch ${marker} && echo ${word}`;
    const connection = await connect();
    try {
      const requested = nextApproval(connection, shellCommand);
      const reply = askToRun(shellCommand, "approve-test");
      const approval = await requested;
      expect(existsSync(marker)).toBe(false);
      await operatorMethods(connection).resolveExecApproval(approval.id, "allow-once");
      const text = await reply;
      expect(text).toContain(word);
      expect(existsSync(marker)).toBe(true);
    } finally {
      connection.close();
    }
  }, 240_000);

  it("with no approver connected, the runtime denies instead of running", async () => {
    const marker = join(workRoot, "unattended-marker");
    const text = await askToRun(`touch ${marker}`, "no-approver-test");
    expect(text).toMatch(/^Command result:/);
    expect(existsSync(marker)).toBe(false);
  }, 240_000);

  it("the reconnecting client comes back after the connection is cut and backfills what is pending", async () => {
    const proxy = await startCuttableProxy(gateway.port);
    const marker = join(workRoot, "backfill-marker");
    const shellCommand = `touch ${marker}`;
    const connects: number[] = [];
    const backfilled: string[][] = [];
    const client = startOperatorClient({
      connect: {
        url: `ws://127.0.0.1:${proxy.port}`,
        auth: { token: gatewayToken },
        device: generateDeviceIdentity(),
        scopes,
        caps: ["exec-approvals"],
        clientVersion: "test",
      },
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      onConnected: async (connection) => {
        connects.push(Date.now());
        const pending = await operatorMethods(connection).listExecApprovals();
        backfilled.push(pending.map((entry) => entry.command));
      },
    });
    try {
      const first = await client.connection();
      const requested = nextApproval(first, shellCommand);
      const reply = askToRun(shellCommand, "backfill-test");
      const approval = await requested;

      proxy.cutAll();
      await first.closed;
      expect(client.connected).toBe(false);
      await expect(client.request("health")).rejects.toMatchObject({ code: "disconnected" });

      const second = await client.connection();
      expect(second).not.toBe(first);
      await waitUntil(() => backfilled.length >= 2);
      expect(backfilled[1]).toContain(shellCommand);
      await operatorMethods(client).resolveExecApproval(approval.id, "deny");
      await reply;
      expect(existsSync(marker)).toBe(false);
      expect(connects.length).toBe(2);
    } finally {
      await client.stop();
      await proxy.close();
    }
    await expect(client.connection()).rejects.toMatchObject({ code: "stopped" });
  }, 240_000);
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolveWait) => setTimeout(resolveWait, 20));
}

/** A TCP relay to the gateway whose connections the test can cut, as a network failure would. */
async function startCuttableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound: Socket) => {
    const outbound = netConnect(targetPort, "127.0.0.1");
    sockets.add(inbound);
    sockets.add(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on("error", end).on("close", end);
    outbound.on("error", end).on("close", end);
  });
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolveClose());
      }),
  };
}
