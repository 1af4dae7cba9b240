import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import type { ProgressReporter } from "../engine-driver.ts";
import { EngineError } from "../engine-driver.ts";
import { runNpm } from "./npm.ts";

/**
 * Installs one npm package version into `<root>/<version>/` exactly once, atomically:
 * - npm installs into a sibling `.partial-<version>-<pid>-<random>` directory, which is renamed to `<version>` only
 *   after npm succeeded and the result checked out. A killed install leaves only a `.partial-…` directory (removed
 *   by a later install once its process is gone), never a `<version>` directory that looks done.
 * - Concurrent calls in this process for the same directory share one install (one promise). Concurrent installs
 *   from different processes both run; the first rename wins and the loser adopts the winner's directory.
 */

export interface CachedPackage {
  /** npm package name, e.g. `openclaw`. */
  readonly name: string;
  /** Already validated (it becomes a directory name and an npm spec). */
  readonly version: string;
  /** `<cacheDir>/<kind>`; the package lands in `<root>/<version>/node_modules/<name>`. */
  readonly root: string;
  /** Whether a finished directory is usable (e.g. the entry file exists and the installed version matches). */
  readonly isComplete: (directory: string) => boolean;
  /** Prefix of the progress steps: `<prefix>.started`, `.output`, `.progress`, `.completed`, `.cached`, `.waiting`. */
  readonly stepPrefix: string;
  /** Human name for messages, e.g. `OpenClaw 2026.9.6`. */
  readonly label: string;
  /** Rough size for the first message, e.g. `~650 MB`. */
  readonly sizeHint: string;
}

export interface InstallContext {
  /** The Node binary that runs npm and the install scripts. */
  readonly nodeBinary: string;
  /** Base environment for npm (see installerEnvironment in src/env/openclaw.ts). */
  readonly installerEnv: Readonly<Record<string, string>>;
  readonly onProgress: ProgressReporter;
  readonly timeoutMs: number;
}

const inFlight = new Map<string, Promise<string>>();

/** A partial directory older than this is abandoned whatever its pid says (pids get reused). */
const ABANDONED_PARTIAL_MS = 60 * 60 * 1000;
const PROGRESS_INTERVAL_MS = 10_000;

/** Answers `<root>/<version>`, installing it first if needed. */
export async function ensurePackageInstalled(pkg: CachedPackage, context: InstallContext): Promise<string> {
  const finalDirectory = join(pkg.root, pkg.version);
  if (pkg.isComplete(finalDirectory)) {
    context.onProgress(`${pkg.stepPrefix}.cached`, `${pkg.label} is already installed`, { directory: finalDirectory });
    return finalDirectory;
  }
  const running = inFlight.get(finalDirectory);
  if (running !== undefined) {
    context.onProgress(`${pkg.stepPrefix}.waiting`, `waiting for the install of ${pkg.label} already under way`);
    return running;
  }
  const install = installOnce(pkg, finalDirectory, context).finally(() => inFlight.delete(finalDirectory));
  inFlight.set(finalDirectory, install);
  return install;
}

async function installOnce(pkg: CachedPackage, finalDirectory: string, context: InstallContext): Promise<string> {
  const startedAt = Date.now();
  await mkdir(pkg.root, { recursive: true });
  await removeAbandonedPartials(pkg.root, pkg.version);
  if (existsSync(finalDirectory)) {
    // Not complete (checked by the caller): someone deleted files in it. Move it aside rather than trust it.
    await moveAsideAndRemove(pkg.root, finalDirectory, "broken");
  }

  const partial = join(pkg.root, `.partial-${pkg.version}-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(partial);
  context.onProgress(
    `${pkg.stepPrefix}.started`,
    `installing ${pkg.label} (${pkg.sizeHint}, first use of this version on this machine)`,
    { package: `${pkg.name}@${pkg.version}` },
  );
  try {
    await writeFile(
      join(partial, "package.json"),
      `${JSON.stringify({ name: `agentbot-cache-${pkg.name}`, private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2)}\n`,
    );
    const ticker = setInterval(() => {
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      context.onProgress(`${pkg.stepPrefix}.progress`, `still installing ${pkg.label} (${seconds} s)`, { seconds });
    }, PROGRESS_INTERVAL_MS);
    let result;
    try {
      result = await runNpm({
        nodeBinary: context.nodeBinary,
        cwd: partial,
        args: [
          "install",
          "--prefix",
          partial,
          "--no-audit",
          "--no-fund",
          "--no-update-notifier",
          "--omit=dev",
          // Script output as it happens (otherwise npm hides it until failure): visible progress on slow steps.
          "--foreground-scripts",
          "--loglevel=notice",
        ],
        env: {
          ...context.installerEnv,
          // Install scripts run `node …` from PATH: make that the chosen Node, not whatever the host has first.
          PATH: [dirname(context.nodeBinary), context.installerEnv.PATH].filter(Boolean).join(delimiter),
          ...nodeHeadersEnv(context.nodeBinary),
        },
        onLine: (line) => context.onProgress(`${pkg.stepPrefix}.output`, line.slice(0, 500)),
        timeoutMs: context.timeoutMs,
      });
    } finally {
      clearInterval(ticker);
    }
    if (result.timedOut || result.exitCode !== 0) {
      const notFound = result.tail.some((line) => /\b(ETARGET|E404)\b/.test(line));
      const how = result.timedOut
        ? `did not finish within ${Math.round(context.timeoutMs / 1000)} s`
        : `failed (npm exit ${result.exitCode ?? result.signal})`;
      const detail = result.tail.slice(-4).join(" | ").slice(0, 600);
      throw new EngineError(
        notFound ? "invalid_config" : "unavailable",
        notFound
          ? `${pkg.name}@${pkg.version} does not exist in the npm registry: ${detail}`
          : `installing ${pkg.name}@${pkg.version} ${how}: ${detail}`,
        { retryable: !notFound },
      );
    }
    if (!pkg.isComplete(partial)) {
      throw new EngineError("engine_error", `npm installed ${pkg.name}@${pkg.version} but the result is incomplete`, {
        retryable: true,
      });
    }
    await writeFile(
      join(partial, ".agentbot-installed.json"),
      `${JSON.stringify({ package: `${pkg.name}@${pkg.version}`, installedAt: new Date().toISOString() })}\n`,
    );
    await commit(partial, finalDirectory, pkg);
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  const durationMs = Date.now() - startedAt;
  context.onProgress(`${pkg.stepPrefix}.completed`, `installed ${pkg.label} in ${Math.round(durationMs / 1000)} s`, {
    durationMs,
    directory: finalDirectory,
  });
  return finalDirectory;
}

async function commit(partial: string, finalDirectory: string, pkg: CachedPackage): Promise<void> {
  try {
    await rename(partial, finalDirectory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Another process finished the same install first.
    if ((code === "ENOTEMPTY" || code === "EEXIST") && pkg.isComplete(finalDirectory)) {
      await rm(partial, { recursive: true, force: true });
      return;
    }
    throw error;
  }
}

async function removeAbandonedPartials(root: string, version: string): Promise<void> {
  const prefix = `.partial-${version}-`;
  for (const entry of await readdir(root)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split("-")[0]);
    const path = join(root, entry);
    const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > ABANDONED_PARTIAL_MS || !processAlive(pid)) {
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

async function moveAsideAndRemove(root: string, directory: string, why: string): Promise<void> {
  const aside = join(root, `.${why}-${randomBytes(4).toString("hex")}`);
  await rename(directory, aside);
  await rm(aside, { recursive: true, force: true });
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Native addons built from source must compile against the headers of the Node that runs them. */
function nodeHeadersEnv(nodeBinary: string): Record<string, string> {
  const prefix = dirname(dirname(nodeBinary));
  return existsSync(join(prefix, "include", "node", "node.h")) ? { npm_config_nodedir: prefix } : {};
}
