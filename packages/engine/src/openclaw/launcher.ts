import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { ProgressReporter } from "../engine-driver.ts";
import { installerEnvironment } from "../env/openclaw.ts";
import type { RuntimeCommand, RuntimeLauncher } from "../local/runtime-launcher.ts";
import type { NodeBinary, RunningNode } from "./node-binary.ts";
import { checkNodeBinary, currentNode, installCachedNode, installedVersion } from "./node-binary.ts";
import { ensurePackageInstalled } from "./package-cache.ts";
import { assertRuntimeVersion, nodeVersionRunsOpenclaw } from "./version.ts";

export interface OpenclawLauncherOptions {
  /** Runtimes land in `<cacheDir>/openclaw/<version>/` (and a Node, if one must be installed, in `<cacheDir>/node/`). */
  readonly cacheDir: string;
  /** Receives every progress step, in addition to the per-call `onProgress`. */
  readonly onProgress?: ProgressReporter;
  /** A Node >= 24.16 to run OpenClaw (and npm). Default: the running Node if it qualifies, else one installed into the cache. */
  readonly nodeBinary?: string;
  /** Environment for npm; default: the allowlisted part of this process's environment (installerEnvironment). */
  readonly installerEnv?: Readonly<Record<string, string>>;
  /** How long one npm install may take. Default 10 minutes. */
  readonly installTimeoutMs?: number;
  /** The Node this process runs on (tests pass an older one to exercise the cached-Node path). */
  readonly runningNode?: RunningNode;
}

/**
 * The real runtime launcher for the local driver: installs `openclaw@<version>` (npm package, ~650 MB) into the cache
 * on first use of a version, and answers how to start a gateway with it. Start-up configuration (state dir, config
 * file, token) is the driver's business: the command only binds the gateway to loopback on the given port.
 */
export function createOpenclawLauncher(options: OpenclawLauncherOptions): RuntimeLauncher {
  const installTimeoutMs = options.installTimeoutMs ?? 10 * 60 * 1000;
  const running = options.runningNode ?? currentNode();
  let nodePromise: Promise<NodeBinary> | undefined;

  const resolveNode = (onProgress: ProgressReporter): Promise<NodeBinary> => {
    if (nodePromise !== undefined) return nodePromise;
    const resolving = (async () => {
      if (options.nodeBinary !== undefined) return checkNodeBinary(options.nodeBinary);
      if (nodeVersionRunsOpenclaw(running.version)) return { path: running.execPath, version: running.version };
      return installCachedNode(options.cacheDir, running, {
        installerEnv: options.installerEnv ?? installerEnvironment(),
        onProgress,
        timeoutMs: installTimeoutMs,
      });
    })();
    nodePromise = resolving;
    // A failed resolution (e.g. the registry was unreachable) is retried by the next prepare().
    resolving.catch(() => {
      if (nodePromise === resolving) nodePromise = undefined;
    });
    return resolving;
  };

  return {
    async prepare(runtimeVersion, callOptions) {
      // Before anything touches the filesystem or the network.
      const version = assertRuntimeVersion(runtimeVersion);
      const onProgress: ProgressReporter = (step, message, data) => {
        options.onProgress?.(step, message, data);
        callOptions?.onProgress?.(step, message, data);
      };
      const node = await resolveNode(onProgress);
      const packageDirectory = (directory: string) => join(directory, "node_modules", "openclaw");
      const directory = await ensurePackageInstalled(
        {
          name: "openclaw",
          version,
          root: join(options.cacheDir, "openclaw"),
          isComplete: (candidate) =>
            existsSync(join(packageDirectory(candidate), "openclaw.mjs")) &&
            installedVersion(packageDirectory(candidate)) === version,
          stepPrefix: "runtime.install",
          label: `OpenClaw ${version}`,
          sizeHint: "~650 MB",
        },
        {
          nodeBinary: node.path,
          installerEnv: options.installerEnv ?? installerEnvironment(),
          onProgress,
          timeoutMs: installTimeoutMs,
        },
      );
      return openclawCommand(node.path, join(packageDirectory(directory), "openclaw.mjs"));
    },
  };
}

function openclawCommand(nodeBinary: string, entry: string): RuntimeCommand {
  return {
    command: nodeBinary,
    // Whatever the runtime starts as `node` (skills, helper scripts) must be this Node too, not an older one the host
    // has first on PATH.
    env: { PATH: [dirname(nodeBinary), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter) },
    args: (port) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`port: ${port} is not a TCP port`);
      return [entry, "gateway", "--bind", "loopback", "--port", String(port)];
    },
  };
}
