import { connect } from "node:net";
import { tmpdir } from "node:os";
import { childProcessEnv } from "./env.ts";
import { spawnServer, waitUntil } from "./processes.ts";
import type { ProcessExit } from "./processes.ts";
import { isPortFree } from "./ports.ts";
import { aptInstall, findExecutable, isRoot } from "./system.ts";
import type { Progress } from "./system.ts";

const sbinDirs = ["/usr/bin", "/usr/sbin", "/usr/local/bin"];

/**
 * Path of Debian's `redis-server`, installing it with apt-get when missing and running as root. Otherwise fails with
 * a message that says how to install it or point REDIS_URL at an existing server.
 */
export async function ensureRedisServerBinary(options: { onProgress: Progress }): Promise<string> {
  const found = findExecutable("redis-server", sbinDirs);
  if (found !== null) return found;
  if (!isRoot()) {
    throw new Error(
      "redis-server is not installed. Install it with `sudo apt-get install -y redis-server` (Debian/Ubuntu), " +
        "or set REDIS_URL to a Redis server the tests may use (e.g. REDIS_URL=redis://127.0.0.1:6379).",
    );
  }
  options.onProgress("redis-server not found: installing Debian's redis-server (one time)…");
  await aptInstall(["redis-server"], options.onProgress);
  const installed = findExecutable("redis-server", sbinDirs);
  if (installed === null) throw new Error("apt-get installed redis-server but no redis-server binary was found.");
  return installed;
}

export interface RedisServerOptions {
  readonly port: number;
  /** The binary; defaults to the one `ensureRedisServerBinary` finds (without installing). */
  readonly binary?: string;
  readonly onLog?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Resolves if the server exits, asked to or not. */
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM, SIGKILL after a grace period; resolves when no process of it is left. Idempotent. */
  readonly stop: () => Promise<void>;
}

/** Sends PING over a raw connection; true on +PONG. */
export async function pingRedis(port: number, host = "127.0.0.1", timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let reply = "";
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/** Starts a throwaway, memory-only redis-server on 127.0.0.1:`port` and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const { port, startTimeoutMs = 15_000 } = options;
  const binary = options.binary ?? findExecutable("redis-server", sbinDirs);
  if (binary === null) throw new Error("redis-server is not installed (see ensureRedisServerBinary).");
  if (!(await isPortFree(port))) throw new Error(`cannot start redis-server: port ${port} is already in use.`);
  const args = ["--save", "", "--appendonly", "no", "--port", String(port), "--bind", "127.0.0.1", "--dir", tmpdir()];
  const server = await spawnServer(binary, args, {
    spawn: { env: childProcessEnv() },
    onLog: options.onLog,
    stop: { signal: "SIGTERM", graceMs: 5_000 },
  });
  let answered = false;
  const deadline = Date.now() + startTimeoutMs;
  while (!answered && !server.hasExited() && Date.now() < deadline) {
    answered = await pingRedis(port);
    if (!answered) await waitUntil(server.hasExited, 50);
  }
  if (!answered) {
    await server.stop();
    const why = server.hasExited() ? "exited" : `did not answer PING within ${startTimeoutMs} ms`;
    throw new Error(`redis-server on port ${port} ${why}:\n${server.tail.toString()}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: server.pid, exited: server.exited, stop: server.stop };
}
