import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_FAKE_RUNTIME_VERSION } from "./env.ts";
import { handleFakeRuntimeRequest, isUsableGatewayToken } from "./fake-runtime-handler.ts";
import type { FakeRuntimeState } from "./fake-runtime-handler.ts";

export interface FakeRuntimeOptions {
  /** The gateway token every /v1/* caller must present; missing or blank is refused, as OpenClaw does. */
  readonly gatewayToken: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1 (`--bind loopback`). */
  readonly host?: string;
  /** What /startupz reports. */
  readonly version?: string;
  /** Start unready (/readyz 503). Default true. */
  readonly ready?: boolean;
  /** `gateway.http.endpoints.chatCompletions.enabled`. Default true. */
  readonly chatCompletions?: boolean;
  /** Where the runtime's own log lines go (the CLI prints them to stdout). Default: dropped. */
  readonly log?: (line: string) => void;
}

export interface FakeRuntime {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly version: string;
  setHealthy(healthy: boolean): void;
  setVersion(version: string): void;
  close(): Promise<void>;
}

/** Starts one fake OpenClaw runtime in this process (for the CLI one, see fake-runtime-main.ts). */
export async function startFakeRuntime(options: FakeRuntimeOptions): Promise<FakeRuntime> {
  if (!isUsableGatewayToken(options.gatewayToken)) {
    throw new Error("gatewayToken is missing or blank: the gateway refuses to start without a usable token");
  }
  const state: FakeRuntimeState = {
    gatewayToken: options.gatewayToken,
    version: options.version ?? DEFAULT_FAKE_RUNTIME_VERSION,
    healthy: options.ready ?? true,
    chatCompletions: options.chatCompletions ?? true,
    startedAt: Date.now(),
    log: options.log ?? (() => {}),
  };
  const server = createServer((request, response) => {
    handleFakeRuntimeRequest(state, request, response, request.url ?? "/").catch((error: unknown) => {
      state.log(`request failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const port = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  const host = options.host === undefined || options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    get version() {
      return state.version;
    },
    setHealthy(healthy) {
      state.healthy = healthy;
    },
    setVersion(version) {
      state.version = version;
    },
    close: () => closeServer(server),
  };
}

/** Listens and answers the bound port; rejects on EADDRINUSE and the like. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server, cutting idle keep-alive and streaming connections instead of waiting for them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
