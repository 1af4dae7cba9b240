// Test helpers for talking to a real OpenClaw runtime: boot one gateway process, and a scripted model server it calls.
export { runtimeCacheDir } from "../../env/openclaw.ts";
export { freeGatewayPort, freePort, startGateway, waitForJson } from "./gateway-process.ts";
export type { GatewayProcess, StartGatewayOptions } from "./gateway-process.ts";
export { runCommandScript, startFakeOpenAi } from "./fake-openai.ts";
export type { FakeChatRequest, FakeOpenAiServer, FakeTurn } from "./fake-openai.ts";
export { startExecScenario } from "./exec-scenario.ts";
export type { ExecScenario } from "./exec-scenario.ts";
