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
