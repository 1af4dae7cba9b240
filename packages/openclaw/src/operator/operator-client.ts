import { OperatorError } from "./frames.ts";
import type { HelloOk } from "./frames.ts";
import type { OperatorConnectOptions, OperatorConnection, OperatorEventListener } from "./operator-connection.ts";
import { connectOperator } from "./operator-connection.ts";

/**
 * A long-lived operator session to one gateway: connects, and whenever the connection ends (runtime restart, network
 * cut, gateway shutdown) connects again after a full-jitter exponential backoff (`initialDelayMs` doubling up to
 * `maxDelayMs`, each wait uniformly random below the cap so a fleet of backends does not reconnect in step). A
 * connection that stayed up for `stableAfterMs` resets the backoff. `onConnected` runs after every (re)connect and is
 * where a caller backfills what it may have missed (the approver lists pending approvals there). `stop()` closes
 * cleanly and ends the loop.
 *
 * Not covered: auth failures are retried like any other failure (with backoff); the caller decides when to give up
 * by calling stop() from `onConnectFailed`.
 */

export interface OperatorClientOptions {
  readonly connect: OperatorConnectOptions | (() => Promise<OperatorConnectOptions>);
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly stableAfterMs?: number;
  readonly onEvent?: OperatorEventListener;
  readonly onConnected?: (connection: OperatorConnection, hello: HelloOk) => void | Promise<void>;
  readonly onDisconnected?: (info: { readonly code: number; readonly reason: string }) => void;
  readonly onConnectFailed?: (error: unknown, attempt: number) => void;
  /** Seams for tests of the backoff itself. */
  readonly random?: () => number;
}

export interface OperatorClient {
  /** Resolves with the live connection, waiting for the next (re)connect; rejects once stopped. */
  connection(): Promise<OperatorConnection>;
  /** A request on the live connection; `disconnected` when there is none right now (never queued across reconnects). */
  request(method: string, params?: unknown, options?: { readonly timeoutMs?: number }): Promise<unknown>;
  readonly connected: boolean;
  stop(): Promise<void>;
}

export function startOperatorClient(options: OperatorClientOptions): OperatorClient {
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const stableAfterMs = options.stableAfterMs ?? 60_000;
  const random = options.random ?? Math.random;
  let stopped = false;
  let current: OperatorConnection | undefined;
  let waiters: { resolve: (connection: OperatorConnection) => void; reject: (error: Error) => void }[] = [];
  let wakeSleep: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolveSleep) => {
      const timer = setTimeout(resolveSleep, ms);
      wakeSleep = () => {
        clearTimeout(timer);
        resolveSleep();
      };
    });

  const loop = async () => {
    let attempt = 0;
    while (!stopped) {
      let connection: OperatorConnection;
      try {
        const connectOptions = typeof options.connect === "function" ? await options.connect() : options.connect;
        connection = await connectOperator(connectOptions);
      } catch (error) {
        attempt += 1;
        options.onConnectFailed?.(error, attempt);
        if (stopped) break;
        await sleep(random() * Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 20)));
        continue;
      }
      if (stopped) {
        connection.close();
        break;
      }
      const connectedAt = Date.now();
      const unsubscribe = options.onEvent ? connection.onEvent(options.onEvent) : () => undefined;
      current = connection;
      for (const waiter of waiters) waiter.resolve(connection);
      waiters = [];
      try {
        await options.onConnected?.(connection, connection.hello);
      } catch {
        // The caller's backfill failed (e.g. the connection dropped meanwhile); the next connect runs it again.
      }
      const info = await connection.closed;
      unsubscribe();
      current = undefined;
      options.onDisconnected?.(info);
      if (Date.now() - connectedAt >= stableAfterMs) attempt = 0;
      attempt += 1;
      if (!stopped) await sleep(random() * Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 20)));
    }
  };
  const running = loop();

  return {
    connection: () => {
      if (stopped) return Promise.reject(new OperatorError("stopped", "the operator client was stopped"));
      if (current) return Promise.resolve(current);
      return new Promise((resolveConnection, rejectConnection) =>
        waiters.push({ resolve: resolveConnection, reject: rejectConnection }),
      );
    },
    request: (method, params, requestOptions) => {
      if (!current) return Promise.reject(new OperatorError("disconnected", "not connected to the gateway"));
      return current.request(method, params, requestOptions);
    },
    get connected() {
      return current !== undefined;
    },
    stop: async () => {
      stopped = true;
      current?.close();
      wakeSleep?.();
      for (const waiter of waiters) waiter.reject(new OperatorError("stopped", "the operator client was stopped"));
      waiters = [];
      await running;
    },
  };
}
