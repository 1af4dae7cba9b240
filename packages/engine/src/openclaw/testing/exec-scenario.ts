import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { runtimeCacheDir } from "../../env/openclaw.ts";
import { buildOpenclawRuntime } from "../config.ts";
import { createOpenclawLauncher } from "../launcher.ts";
import { RUNTIME_DEFAULT_VERSION } from "../version.ts";
import type { FakeOpenAiServer } from "./fake-openai.ts";
import { runCommandScript, startFakeOpenAi } from "./fake-openai.ts";
import type { GatewayProcess } from "./gateway-process.ts";
import { startGateway, waitForJson } from "./gateway-process.ts";

/**
 * One real OpenClaw gateway with the platform's generated config (exec `ask`) and a scripted model that runs the
 * command named in a chat message (`runCommandScript`): what tests of the exec gate, the operator client and the
 * approver share. Waits until the gateway is ready (boots take 8–20 s of both cores; the deadline is generous).
 */
export interface ExecScenario {
  readonly gateway: GatewayProcess;
  readonly gatewayToken: string;
  readonly model: FakeOpenAiServer;
  /** `ws://…` of the gateway's operator protocol. */
  readonly wsUrl: string;
  /** Sends a chat turn asking the agent to run `command`; resolves with the reply text (after any approval wait). */
  askToRun(command: string, session: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startExecScenario(root: string): Promise<ExecScenario> {
  const modelKey = `agm_${randomBytes(24).toString("base64url")}`;
  const gatewayToken = randomBytes(32).toString("base64url");
  const model = await startFakeOpenAi({
    apiKey: modelKey,
    models: ["test-model"],
    reply: "ok",
    respond: runCommandScript(),
  });
  const command = await createOpenclawLauncher({ cacheDir: runtimeCacheDir() }).prepare(RUNTIME_DEFAULT_VERSION, {});
  const runtime = buildOpenclawRuntime({
    agentId: "agt_exec_scenario",
    gatewayToken,
    bind: "loopback",
    model: {
      provider: "platform",
      model: "test-model",
      platform: {
        baseUrl: model.baseUrl,
        apiKey: modelKey,
        models: [{ id: "test-model", contextWindow: 128_000, maxTokens: 4_096, cost: { input: 0, output: 0 } }],
      },
    },
    memoryMb: 2048,
  });
  const gateway = await startGateway({ command, runtime, root: join(root, "gateway") });
  try {
    await waitForJson(`${gateway.baseUrl}/readyz`, (status) => status === 200, {
      timeoutMs: 120_000,
      exited: gateway.exited,
    });
  } catch (error) {
    await gateway.stop(5_000);
    await model.close();
    throw new Error(`${String(error)}\n--- gateway output ---\n${gateway.output().slice(-4000)}`, { cause: error });
  }

  return {
    gateway,
    gatewayToken,
    model,
    wsUrl: gateway.baseUrl.replace(/^http/, "ws"),
    async askToRun(shellCommand, session) {
      const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${gatewayToken}` },
        body: JSON.stringify({
          model: "openclaw/default",
          messages: [{ role: "user", content: `Please RUN[[${shellCommand}]]` }],
          user: session,
        }),
        signal: AbortSignal.timeout(180_000),
      });
      if (response.status !== 200) throw new Error(`chat answered ${response.status}: ${await response.text()}`);
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      return body.choices[0]?.message.content ?? "";
    },
    async stop() {
      await gateway.stop(5_000);
      await model.close();
    },
  };
}
