import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";
import type { RuntimeCommand } from "../../local/runtime-launcher.ts";
import type { OpenclawRuntime } from "../config.ts";

/**
 * Runs one real OpenClaw gateway for tests, the way a supervisor would: its own state dir holding the config, an
 * environment of exactly what `buildOpenclawRuntime` returned plus OPENCLAW_STATE_DIR, PATH and HOME, a loopback
 * port, its own process group (so stopping it ends every helper process it started), SIGTERM then SIGKILL after a
 * grace period (a stop once took 325 s, its whole shutdown budget). The working directory is the state dir, so a
 * `.env` in the caller's directory is never read.
 */

export interface GatewayProcess {
  readonly baseUrl: string;
  readonly port: number;
  readonly stateDir: string;
  readonly pid: number;
  /** Everything it printed so far (for assertions and failure messages). */
  output(): string;
  /** Resolves with the exit code (or null after a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL to the whole group after `graceMs` (default 10 s). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartGatewayOptions {
  readonly command: RuntimeCommand;
  readonly runtime: OpenclawRuntime;
  /** An empty directory of its own: `<root>/state` becomes OPENCLAW_STATE_DIR and `<root>/home` HOME. */
  readonly root: string;
  readonly port?: number;
}

export async function startGateway(options: StartGatewayOptions): Promise<GatewayProcess> {
  const stateDir = join(options.root, "state");
  const home = join(options.root, "home");
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await mkdir(home, { recursive: true, mode: 0o700 });
  await writeFile(join(stateDir, "openclaw.json"), options.runtime.openclawConfig, { mode: 0o600 });
  const port = options.port ?? (await freeGatewayPort());
  const env: Record<string, string> = {
    ...options.command.env,
    ...options.runtime.env,
    OPENCLAW_STATE_DIR: stateDir,
    HOME: home,
    PATH: options.command.env?.PATH ?? [dirname(options.command.command), "/usr/bin", "/bin"].join(delimiter),
  };
  const child = spawn(options.command.command, [...options.command.args(port)], {
    cwd: stateDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolveExit) => {
    if (child.exitCode !== null) resolveExit(child.exitCode);
    child.once("exit", (code) => resolveExit(code));
    child.once("error", () => resolveExit(null));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${options.command.command}: ${output}`);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    stateDir,
    pid,
    output: () => output,
    exited,
    stop: (graceMs = 10_000) => stopGroup(child, exited, graceMs),
  };
}

async function stopGroup(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
  // Helpers the gateway started (its spawn broker) share the group: make sure none outlives it.
  signalGroup(pid, "SIGKILL");
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Polls `url` until `accept(status, body)` holds; throws with the last answer after `timeoutMs`. */
export async function waitForJson(
  url: string,
  accept: (status: number, body: unknown) => boolean,
  options: { readonly timeoutMs: number; readonly exited?: Promise<number | null> },
): Promise<unknown> {
  const deadline = Date.now() + options.timeoutMs;
  let last = "no answer";
  let exitCode: number | null | undefined;
  void options.exited?.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the process exited (${exitCode}) while waiting for ${url}: ${last}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const text = await response.text();
      last = `${response.status} ${text.slice(0, 300)}`;
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = undefined;
      }
      if (accept(response.status, body)) return body;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${url}: ${last}`);
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once("error", rejectPort);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The span of ports one gateway uses: its own and helper ports it derives up to base+110 (measured). */
const GATEWAY_PORT_SPAN = 120;

/**
 * A base port for a test gateway whose whole span is free right now. Bases are aligned to the span, so two gateways
 * that test files start at the same time (vitest runs files in parallel) either pick disjoint spans or the very same
 * base, which the second then fails to bind loudly instead of sharing a helper port silently.
 */
export async function freeGatewayPort(): Promise<number> {
  const first = Math.ceil(20_000 / GATEWAY_PORT_SPAN);
  const last = Math.floor((60_000 - GATEWAY_PORT_SPAN) / GATEWAY_PORT_SPAN);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const base = (first + Math.floor(Math.random() * (last - first))) * GATEWAY_PORT_SPAN;
    if (await spanIsFree(base)) return base;
  }
  throw new Error("no free span of ports for a gateway between 20000 and 60000");
}

async function spanIsFree(base: number): Promise<boolean> {
  for (let port = base; port < base + GATEWAY_PORT_SPAN; port += 1) {
    if (!(await canListen(port))) return false;
  }
  return true;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const server = createServer();
    server.once("error", () => resolveCheck(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolveCheck(true)));
  });
}
