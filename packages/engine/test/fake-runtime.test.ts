import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { EngineError } from "../src/index.ts";
import {
  FAKE_RUNTIME_MAIN,
  fakeRuntimeLauncher,
  isLive,
  isReady,
  requestRuntime,
  startFakeRuntime,
  startFakeRuntimeFleet,
  waitFor,
} from "../src/testing/index.ts";
import type { FakeRuntime } from "../src/testing/index.ts";

const TOKEN = "fake-runtime-test-token-0123456789abcdef";

async function chat(url: string, token: string | undefined, body: unknown) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe("startFakeRuntime (in process)", () => {
  let runtime: FakeRuntime;
  afterEach(async () => {
    await runtime?.close().catch(() => {});
  });

  it("answers the three probes with OpenClaw's JSON and the Control UI's HTML elsewhere", async () => {
    runtime = await startFakeRuntime({ gatewayToken: TOKEN, version: "2026.9.6" });
    expect(await requestRuntime(runtime.url, "/healthz")).toEqual({ status: 200, body: { ok: true, status: "live" } });
    const startup = await requestRuntime(runtime.url, "/startupz");
    expect(startup?.status).toBe(200);
    expect(startup?.body).toMatchObject({ ok: true, status: "started", version: "2026.9.6" });
    expect(typeof (startup?.body as { uptimeMs: unknown }).uptimeMs).toBe("number");
    const ready = await requestRuntime(runtime.url, "/readyz");
    expect(ready?.status).toBe(200);
    expect(ready?.body).toMatchObject({ ready: true, failing: [] });

    const page = await fetch(`${runtime.url}/some/unknown/page`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("setHealthy(false) turns /readyz into 503 with a failing check while /healthz stays live", async () => {
    runtime = await startFakeRuntime({ gatewayToken: TOKEN });
    runtime.setHealthy(false);
    const ready = await requestRuntime(runtime.url, "/readyz");
    expect(ready?.status).toBe(503);
    expect(ready?.body).toMatchObject({ ready: false });
    expect((ready?.body as { failing: unknown[] }).failing.length).toBeGreaterThan(0);
    expect(await isLive(runtime.url)).toBe(true);
    runtime.setHealthy(true);
    expect(await isReady(runtime.url)).toBe(true);
  });

  it("guards /v1/* with the gateway token", async () => {
    runtime = await startFakeRuntime({ gatewayToken: TOKEN });
    expect((await fetch(`${runtime.url}/v1/models`)).status).toBe(401);
    const wrong = await fetch(`${runtime.url}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const models = await fetch(`${runtime.url}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(models.status).toBe(200);
    expect(await models.json()).toMatchObject({ object: "list", data: [{ id: "openclaw/default", object: "model" }] });
    expect((await chat(runtime.url, undefined, { messages: [{ role: "user", content: "hi" }] })).status).toBe(401);
  });

  it("answers chat completions with an echo of the last user message", async () => {
    const lines: string[] = [];
    runtime = await startFakeRuntime({ gatewayToken: TOKEN, log: (line) => lines.push(line) });
    const response = await chat(runtime.url, TOKEN, {
      model: "openclaw/default",
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        {
          role: "user",
          content: [
            { type: "text", text: "second " },
            { type: "text", text: "message" },
          ],
        },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "openclaw/default",
      choices: [{ index: 0, message: { role: "assistant", content: "echo: second message" }, finish_reason: "stop" }],
    });
    expect(body.usage).toMatchObject({ total_tokens: expect.any(Number) as number });
    expect(lines.some((line) => line.includes("chat completion"))).toBe(true);

    expect((await chat(runtime.url, TOKEN, { messages: [] })).status).toBe(400);
    const notJson = await fetch(`${runtime.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: "{",
    });
    expect(notJson.status).toBe(400);
  });

  it("streams chat completions as SSE deltas ending with [DONE]", async () => {
    runtime = await startFakeRuntime({ gatewayToken: TOKEN });
    const response = await chat(runtime.url, TOKEN, {
      stream: true,
      messages: [{ role: "user", content: "stream me please" }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await response.text())
      .split("\n\n")
      .filter((event) => event.trim() !== "")
      .map((event) => event.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events
      .slice(0, -1)
      .map((event) => JSON.parse(event) as { choices: { delta: { content?: string } }[] });
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("echo: stream me please");
  });

  it("serves no API when chat completions are off, and refuses a blank token at start", async () => {
    runtime = await startFakeRuntime({ gatewayToken: TOKEN, chatCompletions: false });
    expect((await chat(runtime.url, TOKEN, { messages: [{ role: "user", content: "x" }] })).status).toBe(404);
    await expect(startFakeRuntime({ gatewayToken: "  " })).rejects.toThrow(/gatewayToken/);
    await expect(startFakeRuntime({ gatewayToken: "undefined" })).rejects.toThrow(/gatewayToken/);
  });

  it("stops answering once closed", async () => {
    runtime = await startFakeRuntime({ gatewayToken: TOKEN });
    const url = runtime.url;
    await runtime.close();
    expect(await requestRuntime(url, "/healthz")).toBeNull();
  });
});

describe("fake-runtime-main.ts (the runtime as a process)", () => {
  const children: ChildProcess[] = [];
  const tempDirs: string[] = [];
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  async function stateDirWith(config: string | undefined): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "fake-runtime-test-"));
    tempDirs.push(dir);
    if (config !== undefined) await writeFile(join(dir, "openclaw.json"), config);
    return dir;
  }

  /** Starts the CLI like the local driver does: OpenClaw's arguments, an explicit environment. */
  function launch(env: Record<string, string>, port: number) {
    const child = spawn(
      process.execPath,
      [FAKE_RUNTIME_MAIN, "gateway", "--allow-unconfigured", "--bind", "loopback", "--port", `${port}`, "--verbose"],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    return { child, exited, output: () => output };
  }

  it("serves on the given port, logs that it listens, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const run = launch({ OPENCLAW_GATEWAY_TOKEN: TOKEN, FAKE_RUNTIME_VERSION: "9.9.9" }, port);
    await waitFor("the CLI runtime to answer", () => isLive(url), { timeoutMs: 10_000 });
    expect(run.output()).toContain(`gateway listening on port ${port}`);
    const startup = await requestRuntime(url, "/startupz", { token: TOKEN });
    expect(startup?.body).toMatchObject({ version: "9.9.9" });
    run.child.kill("SIGTERM");
    expect(await run.exited).toEqual([0, null]);
  });

  it("exits 78 when the token is missing, or the config is not JSON or has no gateway section", async () => {
    const missingToken = launch({}, await freePort());
    expect((await missingToken.exited)[0]).toBe(78);
    expect(missingToken.output()).toContain("OPENCLAW_GATEWAY_TOKEN");

    const notJson = launch(
      { OPENCLAW_GATEWAY_TOKEN: TOKEN, OPENCLAW_STATE_DIR: await stateDirWith("{ not json") },
      await freePort(),
    );
    expect((await notJson.exited)[0]).toBe(78);

    const noGateway = launch(
      { OPENCLAW_GATEWAY_TOKEN: TOKEN, OPENCLAW_STATE_DIR: await stateDirWith(JSON.stringify({ agents: {} })) },
      await freePort(),
    );
    expect((await noGateway.exited)[0]).toBe(78);
    expect(noGateway.output()).toContain("gateway");
  });

  it("serves the OpenAI-compatible API only when the config enables it", async () => {
    const enabled = JSON.stringify({ gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } });
    const disabled = JSON.stringify({ gateway: { mode: "local" } });
    for (const [config, expected] of [
      [enabled, 200],
      [disabled, 404],
    ] as const) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      launch({ OPENCLAW_GATEWAY_TOKEN: TOKEN, OPENCLAW_STATE_DIR: await stateDirWith(config) }, port);
      await waitFor("the CLI runtime to answer", () => isLive(url), { timeoutMs: 10_000 });
      const response = await chat(url, TOKEN, { messages: [{ role: "user", content: "config?" }] });
      expect(response.status).toBe(expected);
    }
  });

  it("honours FAKE_RUNTIME_EXIT_CODE, FAKE_RUNTIME_BOOT_DELAY_MS and FAKE_RUNTIME_READY=0", async () => {
    const dying = launch({ OPENCLAW_GATEWAY_TOKEN: TOKEN, FAKE_RUNTIME_EXIT_CODE: "3" }, await freePort());
    expect((await dying.exited)[0]).toBe(3);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const slow = launch(
      { OPENCLAW_GATEWAY_TOKEN: TOKEN, FAKE_RUNTIME_BOOT_DELAY_MS: "1500", FAKE_RUNTIME_READY: "0" },
      port,
    );
    await once(slow.child, "spawn");
    await sleep(300);
    expect(await isLive(url)).toBe(false);
    await waitFor("the slow runtime to answer", () => isLive(url), { timeoutMs: 10_000 });
    const ready = await requestRuntime(url, "/readyz");
    expect(ready?.status).toBe(503);
    expect(ready?.body).toMatchObject({ ready: false });
  });

  it("ignores SIGTERM with FAKE_RUNTIME_IGNORE_SIGTERM=1, so only SIGKILL ends it", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const stubborn = launch({ OPENCLAW_GATEWAY_TOKEN: TOKEN, FAKE_RUNTIME_IGNORE_SIGTERM: "1" }, port);
    await waitFor("the runtime to answer", () => isLive(url), { timeoutMs: 10_000 });
    stubborn.child.kill("SIGTERM");
    await sleep(500);
    expect(stubborn.child.exitCode).toBeNull();
    expect(await isLive(url)).toBe(true);
    stubborn.child.kill("SIGKILL");
    expect(await stubborn.exited).toEqual([null, "SIGKILL"]);
  });
});

describe("startFakeRuntimeFleet", () => {
  it("serves many runtimes from one port, each with its own token, version and health", async () => {
    const fleet = await startFakeRuntimeFleet({ count: 3, gatewayToken: (index) => `${TOKEN}-${index}` });
    try {
      for (const runtime of fleet.runtimes) {
        expect(runtime.baseUrl).toBe(`http://127.0.0.1:${fleet.port}/r/${runtime.index}`);
        expect(await isLive(runtime.baseUrl)).toBe(true);
        expect(await isReady(runtime.baseUrl)).toBe(true);
      }
      fleet.setHealthy(1, false);
      expect(await isReady(fleet.baseUrl(0))).toBe(true);
      expect(await isReady(fleet.baseUrl(1))).toBe(false);
      expect(await isReady(fleet.baseUrl(2))).toBe(true);

      fleet.runtimes[2]?.setVersion("2026.10.1");
      const startup = await requestRuntime(fleet.baseUrl(2), "/startupz?probe=1");
      expect(startup?.body).toMatchObject({ version: "2026.10.1" });

      expect((await chat(fleet.baseUrl(0), `${TOKEN}-0`, { messages: [{ role: "user", content: "a" }] })).status).toBe(
        200,
      );
      expect((await chat(fleet.baseUrl(0), `${TOKEN}-1`, { messages: [{ role: "user", content: "a" }] })).status).toBe(
        401,
      );
      expect((await fetch(`http://127.0.0.1:${fleet.port}/r/3/healthz`)).status).toBe(404);
      expect(() => fleet.baseUrl(3)).toThrow(/no runtime 3/);
    } finally {
      await fleet.close();
    }
  });
});

describe("fakeRuntimeLauncher", () => {
  it("starts the fake with OpenClaw's arguments, reporting the requested version, or fails versions it is told to", async () => {
    const launcher = fakeRuntimeLauncher({
      env: { FAKE_RUNTIME_BOOT_DELAY_MS: "10" },
      unavailableVersions: ["1.0.0-broken"],
    });
    const steps: string[] = [];
    const command = await launcher.prepare("2026.9.6", { onProgress: (step) => steps.push(step) });
    expect(command.command).toBe(process.execPath);
    expect(command.args(20_120)).toEqual([
      FAKE_RUNTIME_MAIN,
      "gateway",
      "--allow-unconfigured",
      "--bind",
      "loopback",
      "--port",
      "20120",
    ]);
    expect(command.env).toEqual({ FAKE_RUNTIME_BOOT_DELAY_MS: "10", FAKE_RUNTIME_VERSION: "2026.9.6" });
    expect(steps).toEqual(["runtime.ready"]);
    const failure: unknown = await launcher.prepare("1.0.0-broken").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure).toMatchObject({ code: "unavailable", retryable: true });
  });
});
