// Test helpers for engine drivers: the shared contract suite (needs vitest) and the fake OpenClaw runtime. Code that
// runs outside vitest imports the fake from `@agentbot/engine/testing/fake` instead.
export { describeEngineDriver } from "./contract-suite.ts";
export type { EngineDriverHarness } from "./contract-suite.ts";
export * from "./fake.ts";
// A fake OpenAI-compatible model server (a platform model proxy or LLM provider in tests), from src/openclaw/testing.
export { startFakeOpenAi } from "../openclaw/testing/fake-openai.ts";
export type { FakeOpenAiOptions, FakeOpenAiRequest, FakeOpenAiServer } from "../openclaw/testing/fake-openai.ts";
