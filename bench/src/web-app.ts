import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cp, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const webDir = path.join(repoRoot, "apps", "web");

/** What of apps/web a production build reads; node_modules is linked, not copied. */
const APP_FILES = ["src", "next.config.ts", "postcss.config.mjs", "package.json", "next-env.d.ts"] as const;

/**
 * A copy of the web app (sources, Next config, PostCSS config, package.json; node_modules linked to apps/web's) in
 * `dir`, so `next build` writes its `.next` there and not into apps/web/.next, which `./agentbot start` and the
 * browser tests build into and serve from, possibly at the same time as this benchmark. Same sources, same config,
 * same dependencies: the same production build. `dir` must be inside the repository (Turbopack's root is the
 * directory of pnpm-lock.yaml; files outside it cannot be resolved).
 */
export async function prepareWebCopy(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of APP_FILES) {
    await cp(path.join(webDir, name), path.join(dir, name), { recursive: true });
  }
  const tsconfig = JSON.parse(await readFile(path.join(webDir, "tsconfig.json"), "utf8")) as {
    extends: string;
    include: string[];
  };
  // The same options; `extends` re-based on the copy's place; the browser tests and their helpers are not copied.
  tsconfig.extends = path.relative(dir, path.resolve(webDir, tsconfig.extends));
  tsconfig.include = tsconfig.include.filter((entry) => entry !== "e2e" && entry !== "testing");
  await writeFile(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  await symlink(path.join(webDir, "node_modules"), path.join(dir, "node_modules"), "dir");
}

/** Whether `dir` holds a finished production build (`.next/BUILD_ID`). */
export async function hasBuild(dir: string): Promise<boolean> {
  return stat(path.join(dir, ".next", "BUILD_ID")).then(
    () => true,
    () => false,
  );
}

export async function nextVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(webDir, "node_modules", "next", "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

const running = new Set<ChildProcess>();

/** SIGKILL to every process group started here and still running: the last resort when this process exits. */
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** SIGTERM to the child's process group (Next's workers included), SIGKILL after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = once(child, "exit");
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  // Workers of the group that outlived their leader.
  killGroup(child, "SIGKILL");
  running.delete(child);
}

/** The last `limit` lines a child wrote (stdout and stderr together). */
function captureOutput(child: ChildProcess, onLine?: (line: string) => void, limit = 400) {
  const lines: string[] = [];
  let total = 0;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        total++;
        lines.push(line);
        if (lines.length > limit) lines.shift();
        onLine?.(line);
      }
    });
  }
  return { lines, total: () => total };
}

/** `node <args>` in `cwd` in a process group of its own (stopping it stops the workers it starts), tracked here. */
function spawnNode(cwd: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...args], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

function startNext(
  dir: string,
  args: readonly string[],
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): ChildProcess {
  return spawnNode(dir, [...nodeArgs, path.join(dir, "node_modules", "next", "dist", "bin", "next"), ...args], env);
}

/** `next build` in `dir`; resolves with its wall time, rejects (with the end of its output) when it fails. */
export async function buildWebApp(
  dir: string,
  env: Record<string, string>,
  onLine: (line: string) => void,
): Promise<number> {
  const started = performance.now();
  const child = startNext(dir, ["build"], env);
  const output = captureOutput(child, onLine);
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    throw new Error(`next build failed (${signal ?? `exit ${code}`}):\n${output.lines.slice(-40).join("\n")}`);
  }
  return performance.now() - started;
}

/** Any HTTP answer from `url` (the status), or null when nothing answers. */
function probe(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? null));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
    req.end();
  });
}

/**
 * `next start` on 127.0.0.1:`port` in `dir`, resolved once `readyPath` answers 200 (its first answer: the route's
 * modules are loaded on first use). Its output is kept (the last lines) for the report.
 */
export async function startWebServer(options: {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly port: number;
  readonly readyPath: string;
  readonly timeoutMs?: number;
  /** Options for the server's node, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
}) {
  const child = startNext(
    options.dir,
    ["start", "--hostname", "127.0.0.1", "--port", String(options.port)],
    { ...options.env, PORT: String(options.port) },
    options.nodeArgs,
  );
  return serverOf(child, "next start", `http://127.0.0.1:${options.port}`, options.readyPath, options.timeoutMs);
}

/**
 * The backend as production runs it (`node apps/backend/src/main.ts`, as `./agentbot start` does) on
 * 127.0.0.1:`port`, resolved once `/readyz` answers 200 (database migrated, workers started).
 */
export async function startBackendServer(options: {
  readonly env: Record<string, string>;
  readonly port: number;
  readonly timeoutMs?: number;
}) {
  const backendDir = path.join(repoRoot, "apps", "backend");
  const child = spawnNode(backendDir, [path.join(backendDir, "src", "main.ts")], {
    ...options.env,
    HOST: "127.0.0.1",
    PORT: String(options.port),
  });
  return serverOf(child, "the backend", `http://127.0.0.1:${options.port}`, "/readyz", options.timeoutMs);
}

/** Waits until the child answers 200 on `readyPath`; its output is kept (the last lines) for the report. */
async function serverOf(child: ChildProcess, name: string, url: string, readyPath: string, timeoutMs = 90_000) {
  const started = performance.now();
  const output = captureOutput(child);
  const deadline = started + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited before answering:\n${output.lines.slice(-40).join("\n")}`);
    }
    const lastStatus = await probe(`${url}${readyPath}`);
    if (lastStatus === 200) break;
    if (performance.now() > deadline) {
      await stopChild(child);
      throw new Error(
        `${name} did not answer 200 on ${readyPath} (last: ${lastStatus ?? "no answer"}):\n${output.lines.slice(-40).join("\n")}`,
      );
    }
    await sleep(250);
  }
  return {
    url,
    pid: child.pid!,
    /** Spawn → first 200 on `readyPath`. */
    readyMs: performance.now() - started,
    /** The server's output so far (the last lines) and how many lines it wrote. */
    output: () => ({ lines: [...output.lines], total: output.total() }),
    stop: (graceMs?: number) => stopChild(child, graceMs),
  };
}

export type WebServer = Awaited<ReturnType<typeof startWebServer>>;
export type BackendServer = Awaited<ReturnType<typeof startBackendServer>>;

/** Stops every process this module started (a build under way, the servers). */
export async function stopAllNext(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}
