// The fake OpenClaw runtime and its helpers without the contract suite, so code outside vitest (a backend started for
// end-to-end tests with the fake runtime) can import them without loading vitest: `@agentbot/engine/testing/fake`.
export { startFakeRuntime } from "./fake-runtime.ts";
export type { FakeRuntime, FakeRuntimeOptions } from "./fake-runtime.ts";
export { startFakeRuntimeFleet } from "./fake-runtime-fleet.ts";
export type { FakeFleetRuntime, FakeRuntimeFleet, FakeRuntimeFleetOptions } from "./fake-runtime-fleet.ts";
export { FAKE_RUNTIME_MAIN, fakeRuntimeLauncher } from "./fake-runtime-launcher.ts";
export type { FakeRuntimeLauncherOptions } from "./fake-runtime-launcher.ts";
export { DEFAULT_FAKE_RUNTIME_VERSION } from "./env.ts";
export { isLive, isReady, requestRuntime, startupInfo, waitFor } from "./runtime-probes.ts";
export type { HttpAnswer, StartupInfo } from "./runtime-probes.ts";
