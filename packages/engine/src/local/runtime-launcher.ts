import type { ProgressReporter } from "../engine-driver.ts";

/**
 * How the local driver starts a runtime process. The real one (`createOpenclawLauncher` in ../openclaw/) installs
 * Node 24 + the pinned `openclaw` version into a project cache on first use; the contract suite uses the fake runtime
 * (../testing/fake-runtime.ts), which takes the same arguments.
 */
export interface RuntimeCommand {
  /** Absolute path of the executable (a Node binary). */
  readonly command: string;
  /** Arguments for a gateway on `port`, bound to loopback: `[<openclaw.mjs>, "gateway", "--bind", "loopback", "--port", "<port>"]`. */
  readonly args: (port: number) => readonly string[];
  /** Extra environment the runtime needs to run at all (never secrets, never the backend's own environment). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RuntimeLauncher {
  /** Makes `runtimeVersion` available (installing it on first use, reporting progress) and says how to start it. */
  prepare(runtimeVersion: string, options?: { readonly onProgress?: ProgressReporter }): Promise<RuntimeCommand>;
}
