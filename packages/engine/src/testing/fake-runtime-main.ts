/**
 * The fake runtime as a process, started exactly like OpenClaw:
 *   node fake-runtime-main.ts gateway --bind loopback --port <P> [--allow-unconfigured] [any other flag]
 * It reads what OpenClaw reads (OPENCLAW_GATEWAY_TOKEN, $OPENCLAW_STATE_DIR/openclaw.json) and refuses what OpenClaw
 * refuses, with OpenClaw's exit code 78 for configuration problems. Knobs: see env.ts. Differences from OpenClaw, on
 * purpose: the config is parsed as JSON (not JSON5) and only `gateway` is looked at; without a config file the
 * OpenAI-compatible endpoints are on (OpenClaw keeps them off), so unconfigured test runs can chat.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readFakeRuntimeEnv } from "./env.ts";
import { startFakeRuntime } from "./fake-runtime.ts";
import { isUsableGatewayToken } from "./fake-runtime-handler.ts";

const EXIT_CONFIG = 78;
const EXIT_USAGE = 2;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} [gateway] ${message}\n`);
}

function fail(code: number, message: string): never {
  process.stderr.write(`${new Date().toISOString()} [gateway] ${message}\n`);
  process.exit(code);
}

interface GatewayArguments {
  readonly port: number;
  readonly host: string;
}

function parseGatewayArguments(argv: readonly string[]): GatewayArguments {
  if (!argv.includes("gateway")) throw new Error('the only supported command is "gateway"');
  const value = (flag: string): string | undefined => {
    const inline = argv.find((argument) => argument.startsWith(`${flag}=`));
    if (inline) return inline.slice(flag.length + 1);
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const port = Number(value("--port") ?? "18789");
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error("--port must be a port number");
  const bind = value("--bind") ?? "loopback";
  if (bind !== "loopback" && bind !== "lan") throw new Error('--bind must be "loopback" or "lan"');
  return { port, host: bind === "loopback" ? "127.0.0.1" : "0.0.0.0" };
}

/** Whether the config turns the OpenAI-compatible endpoints on; exits 78 when OpenClaw would refuse the config. */
function readChatCompletionsSwitch(stateDir: string | undefined): boolean {
  const path = stateDir ? join(stateDir, "openclaw.json") : undefined;
  if (!path || !existsSync(path)) {
    log("no config file; running unconfigured");
    return true;
  }
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    fail(EXIT_CONFIG, `Invalid config at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const gateway = (config as { gateway?: unknown } | null)?.gateway;
  if (typeof gateway !== "object" || gateway === null) {
    fail(EXIT_CONFIG, `Invalid config at ${path}: gateway: a "gateway" section is required`);
  }
  log(`config loaded from ${path}`);
  const endpoints = (gateway as { http?: { endpoints?: { chatCompletions?: { enabled?: unknown } } } }).http?.endpoints;
  return endpoints?.chatCompletions?.enabled === true;
}

async function main(): Promise<void> {
  const env = readFakeRuntimeEnv();
  let args: GatewayArguments;
  try {
    args = parseGatewayArguments(process.argv.slice(2));
  } catch (error) {
    fail(EXIT_USAGE, `usage: fake-runtime-main.ts gateway --bind loopback --port <port>: ${(error as Error).message}`);
  }
  log(`fake OpenClaw ${env.version} starting (pid ${process.pid})`);
  if (env.exitCode !== undefined) fail(env.exitCode, `exiting with code ${env.exitCode} (FAKE_RUNTIME_EXIT_CODE)`);
  if (!isUsableGatewayToken(env.gatewayToken)) {
    fail(EXIT_CONFIG, "OPENCLAW_GATEWAY_TOKEN is missing or blank: refusing to start the gateway");
  }
  const chatCompletions = readChatCompletionsSwitch(env.stateDir);
  if (env.bootDelayMs > 0) await sleep(env.bootDelayMs);

  const runtime = await startFakeRuntime({
    gatewayToken: env.gatewayToken,
    port: args.port,
    host: args.host,
    version: env.version,
    ready: env.ready,
    chatCompletions,
    log,
  }).catch((error: unknown) => fail(1, `gateway failed to listen on port ${args.port}: ${String(error)}`));
  log(`gateway listening on port ${runtime.port} (${args.host})`);

  const shutdown = (signal: NodeJS.Signals) => {
    if (env.ignoreSigterm && signal === "SIGTERM") {
      log("received SIGTERM; ignoring it (FAKE_RUNTIME_IGNORE_SIGTERM)");
      return;
    }
    log(`received ${signal}, shutting down`);
    runtime.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

await main();
