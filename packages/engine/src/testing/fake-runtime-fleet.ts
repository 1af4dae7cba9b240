import { createServer } from "node:http";
import { DEFAULT_FAKE_RUNTIME_VERSION } from "./env.ts";
import { closeServer, listen } from "./fake-runtime.ts";
import { handleFakeRuntimeRequest, isUsableGatewayToken } from "./fake-runtime-handler.ts";
import type { FakeRuntimeState } from "./fake-runtime-handler.ts";

/**
 * Many fake runtimes behind one HTTP server, for benchmarks and for engines whose fake hosts many workloads (the
 * Railway fake): runtime `i` answers under `/r/<i>/` (`http://127.0.0.1:P/r/3/healthz`), each with its own token,
 * version and health. One process and one port instead of `count` processes.
 */
export interface FakeRuntimeFleetOptions {
  readonly count: number;
  /** One token for all, or one per runtime. Default: `fleet-token-<i>` padded to 32+ characters. */
  readonly gatewayToken?: string | ((index: number) => string);
  readonly version?: string;
  readonly port?: number;
  readonly log?: (index: number, line: string) => void;
}

export interface FakeFleetRuntime {
  readonly index: number;
  /** `http://127.0.0.1:P/r/<index>`: append `/healthz`, `/v1/models`… as for a single runtime. */
  readonly baseUrl: string;
  readonly gatewayToken: string;
  setHealthy(healthy: boolean): void;
  setVersion(version: string): void;
  setGatewayToken(token: string): void;
  setChatCompletions(enabled: boolean): void;
}

export interface FakeRuntimeFleet {
  readonly port: number;
  readonly runtimes: readonly FakeFleetRuntime[];
  baseUrl(index: number): string;
  setHealthy(index: number, healthy: boolean): void;
  close(): Promise<void>;
}

const PREFIX = /^\/r\/(\d+)(\/.*)?$/;

export async function startFakeRuntimeFleet(options: FakeRuntimeFleetOptions): Promise<FakeRuntimeFleet> {
  if (!Number.isInteger(options.count) || options.count < 1) throw new Error("count must be a positive integer");
  const tokenFor = (index: number): string => {
    const token =
      typeof options.gatewayToken === "function"
        ? options.gatewayToken(index)
        : (options.gatewayToken ?? `fleet-token-${index}`.padEnd(40, "x"));
    if (!isUsableGatewayToken(token)) throw new Error(`gatewayToken for runtime ${index} is missing or blank`);
    return token;
  };
  const startedAt = Date.now();
  const states: FakeRuntimeState[] = Array.from({ length: options.count }, (_, index) => ({
    gatewayToken: tokenFor(index),
    version: options.version ?? DEFAULT_FAKE_RUNTIME_VERSION,
    healthy: true,
    chatCompletions: true,
    startedAt,
    log: (line: string) => options.log?.(index, line),
  }));

  const server = createServer((request, response) => {
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const match = PREFIX.exec(queryStart === -1 ? url : url.slice(0, queryStart));
    const state = match ? states[Number(match[1])] : undefined;
    if (!match || !state) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "no such runtime in this fleet", type: "not_found" } }));
      return;
    }
    const query = queryStart === -1 ? "" : url.slice(queryStart);
    handleFakeRuntimeRequest(state, request, response, `${match[2] ?? "/"}${query}`).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const port = await listen(server, options.port ?? 0, "127.0.0.1");
  const baseUrl = (index: number) => `http://127.0.0.1:${port}/r/${index}`;
  const stateAt = (index: number): FakeRuntimeState => {
    const state = states[index];
    if (!state) throw new Error(`no runtime ${index} in a fleet of ${states.length}`);
    return state;
  };

  const runtimes = states.map((state, index): FakeFleetRuntime => ({
    index,
    baseUrl: baseUrl(index),
    get gatewayToken() {
      return state.gatewayToken;
    },
    setHealthy: (healthy) => void (state.healthy = healthy),
    setVersion: (version) => void (state.version = version),
    setGatewayToken: (token) => {
      if (!isUsableGatewayToken(token)) throw new Error(`gatewayToken for runtime ${index} is missing or blank`);
      state.gatewayToken = token;
    },
    setChatCompletions: (enabled) => void (state.chatCompletions = enabled),
  }));
  return {
    port,
    runtimes,
    baseUrl: (index) => {
      stateAt(index);
      return baseUrl(index);
    },
    setHealthy: (index, healthy) => void (stateAt(index).healthy = healthy),
    close: () => closeServer(server),
  };
}
