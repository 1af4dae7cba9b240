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
