export { EngineError } from "./engine-driver.ts";
export type {
  DriverCallOptions,
  EngineDriver,
  EngineKind,
  EngineWorkloadState,
  ListedWorkload,
  LogLine,
  ProgressReporter,
  WorkloadEndpoint,
  WorkloadRef,
  WorkloadResources,
  WorkloadSpec,
  WorkloadStatus,
} from "./engine-driver.ts";
export { createLocalDriver } from "./local/local-driver.ts";
export type { LocalDriver, LocalDriverLogger, LocalDriverOptions } from "./local/local-driver.ts";
export type { RuntimeCommand, RuntimeLauncher } from "./local/runtime-launcher.ts";
export { createOpenclawLauncher } from "./openclaw/launcher.ts";
export type { OpenclawLauncherOptions } from "./openclaw/launcher.ts";
export {
  buildOpenclawRuntime,
  EXEC_POLICY,
  OPENCLAW_ENV,
  OpenclawRuntimeInput,
  PLATFORM_PROVIDER_ID,
} from "./openclaw/config.ts";
export type { OpenclawRuntime } from "./openclaw/config.ts";
export { RUNTIME_DEFAULT_VERSION } from "./openclaw/version.ts";
