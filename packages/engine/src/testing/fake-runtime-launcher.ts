import { fileURLToPath } from "node:url";
import { EngineError } from "../engine-driver.ts";
import type { RuntimeCommand, RuntimeLauncher } from "../local/runtime-launcher.ts";

/** The fake runtime's CLI, run by this same Node binary through type stripping. */
export const FAKE_RUNTIME_MAIN = fileURLToPath(new URL("./fake-runtime-main.ts", import.meta.url));

export interface FakeRuntimeLauncherOptions {
  /** `prepare` rejects these versions with a retryable `unavailable` EngineError (an install that fails). */
  readonly unavailableVersions?: readonly string[];
  /** Extra environment for every fake runtime it starts, e.g. `FAKE_RUNTIME_BOOT_DELAY_MS` for a slow boot. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A RuntimeLauncher for the local driver that starts the fake runtime instead of OpenClaw, with OpenClaw's
 * arguments. Any `runtimeVersion` is "installed" at once and becomes the version the fake reports on /startupz.
 */
export function fakeRuntimeLauncher(options: FakeRuntimeLauncherOptions = {}): RuntimeLauncher {
  return {
    prepare(runtimeVersion, prepareOptions): Promise<RuntimeCommand> {
      if (options.unavailableVersions?.includes(runtimeVersion)) {
        return Promise.reject(
          new EngineError("unavailable", `runtime version ${runtimeVersion} could not be installed`, {
            retryable: true,
          }),
        );
      }
      prepareOptions?.onProgress?.("runtime.ready", `fake runtime ${runtimeVersion} is ready`, { runtimeVersion });
      return Promise.resolve({
        command: process.execPath,
        args: (port) => [
          FAKE_RUNTIME_MAIN,
          "gateway",
          "--allow-unconfigured",
          "--bind",
          "loopback",
          "--port",
          `${port}`,
        ],
        env: { ...options.env, FAKE_RUNTIME_VERSION: runtimeVersion },
      });
    },
  };
}
