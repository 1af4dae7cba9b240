import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runtimeProcessesUnder } from "../testing/agent-processes.ts";
import { agentsDirFor } from "../testing/e2e-agents.ts";
import { e2eRun } from "../testing/env.ts";
import { fakeModelId, fakeModelReply } from "../testing/fake-model.ts";
import { bearer, createApiKey, createSignedInUser, expect, getJson, test } from "./support/accounts.ts";
import { agentName, collectEvents, subscribe } from "./support/agents.ts";
import { TimelinePrinter, waitForAgent } from "./support/openclaw.ts";
import type { AgentView } from "./support/openclaw.ts";

/**
 * One agent's whole life on the REAL OpenClaw runtime (npm `openclaw`, the pinned version), through the public API with
 * an API key, against the OpenClaw stack of playwright.config.ts: its own backend (local engine,
 * AGENTBOT_LOCAL_RUNTIME=openclaw, own database and agents dir), its own web server, and a fake OpenAI-compatible model
 * provider as the platform provider. Deploy → running → chat (the runtime calls the fake model with its per-agent
 * token) → logs (no gateway token in them) → stop (process gone) → start → delete (no process, no directory left).
 *
 * Slow by nature: on a cold cache the backend installs OpenClaw (~650 MB, 20–25 s) first, and each boot takes 10–25 s
 * of both cores. Progress (timeline events as they happen) is printed, so a slow CI run shows where it is. A failed
 * run leaves nothing: the stack's run-backend.ts kills every runtime under its agents dir and removes the dir.
 *
 * Not covered here: channels (Telegram), bring-your-own providers against a real vendor, the Control UI in a browser.
 */

test.describe.configure({ mode: "serial", timeout: 8 * 60_000 });

test("an agent on the real OpenClaw runtime deploys, chats with the model, shows logs, stops, starts and is deleted", async ({
  page,
  request,
}) => {
  const stack = e2eRun().openclaw;
  const agentsDir = agentsDirFor(stack);
  const started = Date.now();
  const progress = (message: string) =>
    console.log(`[openclaw e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

  const key = await test.step("sign up, subscribe, create an API key", async () => {
    const user = await createSignedInUser(page, "openclaw");
    await subscribe(user.email, "solo", stack.databaseUrl);
    return createApiKey(page, "openclaw-deployer", ["agents:read", "agents:write"]);
  });
  const timeline = new TimelinePrinter(progress);
  const waitFor = (agentId: string, status: string) =>
    test.step(`wait for ${status}`, () => waitForAgent(request, key, agentId, status, timeline));
  const runtimeProcesses = (agentId: string) => runtimeProcessesUnder(join(agentsDir, agentId));

  const agentId = await test.step("deploy through POST /api/v1/agents", async () => {
    const response = await request.post("/api/v1/agents", {
      headers: { ...bearer(key), "idempotency-key": `e2e-${randomUUID()}` },
      data: { name: agentName("openclaw"), modelProvider: "platform", model: fakeModelId },
    });
    expect(response.status()).toBe(202);
    const body = (await response.json()) as { agent: AgentView & { modelProvider: string; model: string } };
    expect(body.agent).toMatchObject({ modelProvider: "platform", model: fakeModelId });
    progress(`created ${body.agent.id}`);
    return body.agent.id;
  });

  await waitFor(agentId, "running");
  const firstRuntime = await runtimeProcesses(agentId);
  expect(firstRuntime.length, "a runtime process runs with this agent's state dir").toBeGreaterThan(0);

  await test.step("chat: the runtime answers with the fake model's reply", async () => {
    const chat = await collectEvents<{ type: string; text?: string; reply?: string; message?: string }>(
      `/api/v1/agents/${agentId}/chat`,
      {
        method: "POST",
        headers: bearer(key),
        body: { message: "Hello, are you there?" },
        baseUrl: stack.webUrl,
      },
      (events) => events.some((event) => event.type === "done" || event.type === "error"),
      120_000,
    );
    expect(chat.status).toBe(200);
    const done = chat.events.at(-1);
    expect(done, `the chat ended with: ${JSON.stringify(done)}`).toMatchObject({ type: "done" });
    expect(done?.reply).toContain(fakeModelReply);
    const deltas = chat.events.filter((event) => event.type === "delta").map((event) => event.text ?? "");
    expect(deltas.join("")).toBe(done?.reply);
    progress(`reply: ${JSON.stringify(done?.reply)}`);
  });

  await test.step("logs: the runtime's lines, without its gateway token", async () => {
    const controlUi = await getJson(request, `/api/v1/agents/${agentId}/control-ui`, bearer(key));
    expect(controlUi.status).toBe(200);
    const fragment = new URL((controlUi.body as { url: string }).url).hash;
    const gatewayToken = decodeURIComponent(fragment.replace(/^#token=/, ""));
    expect(gatewayToken.length).toBeGreaterThanOrEqual(32);

    const logs = await getJson(request, `/api/v1/agents/${agentId}/logs?limit=500`, bearer(key));
    expect(logs.status).toBe(200);
    const lines = (logs.body as { lines: Array<{ text: string }> }).lines.map((line) => line.text);
    expect(lines.length).toBeGreaterThan(0);
    // The driver's own line, and the runtime's: its gateway came up on the platform provider's model (line formats
    // of the pinned OpenClaw version).
    expect(lines.some((line) => line.includes("starting runtime"))).toBe(true);
    const modelLines = lines.filter((line) => line.includes("[gateway] agent model: "));
    expect(modelLines.join("\n")).toContain(`/${fakeModelId} `);
    for (const line of lines) {
      expect(line.includes(gatewayToken), "no log line contains the gateway token").toBe(false);
      expect(line, "no log line contains a per-agent model token").not.toMatch(/agm_[A-Za-z0-9_-]{16,}/);
    }
    progress(`${lines.length} log lines`);
  });

  await test.step("stop: the runtime process is gone", async () => {
    const response = await request.post(`/api/v1/agents/${agentId}/stop`, { headers: bearer(key) });
    expect(response.status()).toBe(202);
    await waitFor(agentId, "stopped");
    expect(await runtimeProcesses(agentId)).toEqual([]);
  });

  await test.step("start: a new runtime process, running again", async () => {
    const response = await request.post(`/api/v1/agents/${agentId}/start`, { headers: bearer(key) });
    expect(response.status()).toBe(202);
    await waitFor(agentId, "running");
    const secondRuntime = await runtimeProcesses(agentId);
    expect(secondRuntime.length).toBeGreaterThan(0);
    const firstPids = new Set(firstRuntime.map((process) => process.pid));
    expect(secondRuntime.some((process) => firstPids.has(process.pid))).toBe(false);
  });

  await test.step("delete: no process and no directory left", async () => {
    const response = await request.delete(`/api/v1/agents/${agentId}`, { headers: bearer(key) });
    expect(response.status()).toBe(202);
    await waitFor(agentId, "deleted");
    expect(existsSync(join(agentsDir, agentId)), "the agent's directory is removed").toBe(false);
    // Only this agent's directory: the other real-runtime spec runs beside this one on the same stack.
    expect(await runtimeProcesses(agentId), "no process points into the agent's directory").toEqual([]);
  });
  progress("done");
});
