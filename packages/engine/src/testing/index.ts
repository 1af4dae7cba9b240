// Test helpers for engine drivers: the shared contract suite (needs vitest) and the fake OpenClaw runtime.
export { describeEngineDriver } from "./contract-suite.ts";
export type { EngineDriverHarness } from "./contract-suite.ts";
export { startFakeRuntime } from "./fake-runtime.ts";
export type { FakeRuntime, FakeRuntimeOptions } from "./fake-runtime.ts";
export { startFakeRuntimeFleet } from "./fake-runtime-fleet.ts";
export type { FakeFleetRuntime, FakeRuntimeFleet, FakeRuntimeFleetOptions } from "./fake-runtime-fleet.ts";
export { FAKE_RUNTIME_MAIN, fakeRuntimeLauncher } from "./fake-runtime-launcher.ts";
export type { FakeRuntimeLauncherOptions } from "./fake-runtime-launcher.ts";
export { DEFAULT_FAKE_RUNTIME_VERSION } from "./env.ts";
export { isLive, isReady, requestRuntime, startupInfo, waitFor } from "./runtime-probes.ts";
export type { HttpAnswer, StartupInfo } from "./runtime-probes.ts";
