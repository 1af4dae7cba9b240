import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import type { DeviceIdentity } from "./device-identity.ts";
import { signDeviceAuth } from "./device-identity.ts";
import type { HelloOk } from "./frames.ts";
import {
  ConnectChallenge,
  HelloOk as HelloOkSchema,
  IncomingFrame,
  OperatorError,
  PROTOCOL_VERSION,
} from "./frames.ts";

/**
 * One authenticated operator WebSocket to an OpenClaw gateway: challenge → signed `connect` → `hello-ok`, then
 * requests correlated by id with a timeout each, and events to listeners. It never reconnects (operator-client.ts
 * does); when the socket ends, every pending request fails with `disconnected` and `closed` resolves.
 *
 * Liveness: the gateway sends a `tick` event every `policy.tickIntervalMs` (15 s); a connection that hears nothing
 * for three intervals is treated as dead and closed, so a frozen runtime or a silently dropped TCP path is noticed
 * without waiting for the kernel.
 */

export const OPERATOR_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.approvals",
  "operator.questions",
  "operator.pairing",
  "operator.talk",
  "operator.talk.secrets",
] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

export interface OperatorConnectOptions {
  /** `ws://host:port` (or `wss://`) of the gateway. */
  readonly url: string;
  /** The gateway's shared token (loopback, or to pair) or a device token the gateway issued to this device. */
  readonly auth: { readonly token: string } | { readonly deviceToken: string };
  readonly device: DeviceIdentity;
  readonly scopes: readonly OperatorScope[];
  /** `exec-approvals` makes the gateway route approval prompts to this client. */
  readonly caps?: readonly string[];
  /** Ours, e.g. the backend's version; shown in the gateway's presence list. */
  readonly clientVersion: string;
  readonly displayName?: string;
  /** For connections that must look like a browser's (the Control UI's origin check). */
  readonly origin?: string;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export type OperatorEventListener = (event: string, payload: unknown) => void;

export interface OperatorConnection {
  readonly hello: HelloOk;
  /** Sends a request and resolves with its payload; rejects with OperatorError (the gateway's code, or `timeout`). */
  request(method: string, params?: unknown, options?: { readonly timeoutMs?: number }): Promise<unknown>;
  onEvent(listener: OperatorEventListener): () => void;
  /** Closes the socket (1000); pending requests fail with `disconnected`. */
  close(): void;
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;
}

// `client.id` and `client.mode` are closed enums in the protocol: this pair is the one meant for server processes.
const CLIENT_ID = "gateway-client";
const CLIENT_MODE = "backend";
const ROLE = "operator";

export async function connectOperator(options: OperatorConnectOptions): Promise<OperatorConnection> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const socket = new WebSocket(options.url, {
    handshakeTimeout: connectTimeoutMs,
    maxPayload: 32 * 1024 * 1024,
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Set<OperatorEventListener>();
  let lastHeard = Date.now();
  let challenge: ((nonce: { nonce: string; ts: number }) => void) | undefined;

  const closed = new Promise<{ code: number; reason: string }>((resolveClosed) => {
    socket.once("close", (code, reason) => {
      for (const entry of pending.values()) entry.reject(new OperatorError("disconnected", "the connection closed"));
      pending.clear();
      resolveClosed({ code, reason: reason.toString("utf8") });
    });
  });
  // An error is always followed by `close`; without a listener it would be thrown.
  socket.on("error", () => undefined);

  socket.on("message", (data: Buffer) => {
    lastHeard = Date.now();
    let frame: IncomingFrame;
    try {
      const parsed = IncomingFrame.safeParse(JSON.parse(data.toString("utf8")));
      if (!parsed.success) return;
      frame = parsed.data;
    } catch {
      return;
    }
    if (frame.type === "res") {
      const entry = pending.get(frame.id);
      if (!entry) return;
      pending.delete(frame.id);
      if (frame.ok) entry.resolve(frame.payload);
      else {
        const code = frame.error?.code ?? "error";
        entry.reject(new OperatorError(code, frame.error?.message ?? code, frame.error?.details));
      }
      return;
    }
    if (frame.event === "connect.challenge") {
      const parsed = ConnectChallenge.safeParse(frame.payload);
      if (parsed.success) challenge?.(parsed.data);
      return;
    }
    for (const listener of listeners) listener(frame.event, frame.payload);
  });

  const request = (method: string, params?: unknown, requestOptions?: { timeoutMs?: number }) =>
    new Promise<unknown>((resolveRequest, rejectRequest) => {
      if (socket.readyState !== WebSocket.OPEN) {
        rejectRequest(new OperatorError("disconnected", "the connection is not open"));
        return;
      }
      const id = randomUUID();
      const timeoutMs = requestOptions?.timeoutMs ?? requestTimeoutMs;
      const timer = setTimeout(() => {
        pending.delete(id);
        rejectRequest(new OperatorError("timeout", `${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolveRequest(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          rejectRequest(error);
        },
      });
      socket.send(JSON.stringify({ type: "req", id, method, ...(params === undefined ? {} : { params }) }));
    });

  const fail = (error: unknown): never => {
    socket.terminate();
    throw error;
  };

  try {
    const nonce = await withTimeout(
      new Promise<{ nonce: string; ts: number }>((resolveChallenge, rejectChallenge) => {
        challenge = resolveChallenge;
        void closed.then(({ code, reason }) =>
          rejectChallenge(new OperatorError("disconnected", `closed before the challenge (${code} ${reason})`)),
        );
      }),
      connectTimeoutMs,
      "no connect.challenge from the gateway",
    );
    const token = "token" in options.auth ? options.auth.token : options.auth.deviceToken;
    const scopes = [...options.scopes];
    const platform = process.platform;
    const device = signDeviceAuth(options.device, {
      clientId: CLIENT_ID,
      clientMode: CLIENT_MODE,
      role: ROLE,
      scopes,
      // The protocol asks device clients to sign with the challenge's own timestamp.
      signedAtMs: nonce.ts,
      token,
      nonce: nonce.nonce,
      platform,
    });
    const helloPayload = await request(
      "connect",
      {
        minProtocol: PROTOCOL_VERSION,
        maxProtocol: PROTOCOL_VERSION,
        client: {
          id: CLIENT_ID,
          version: options.clientVersion,
          platform,
          mode: CLIENT_MODE,
          ...(options.displayName ? { displayName: options.displayName } : {}),
        },
        role: ROLE,
        scopes,
        caps: [...(options.caps ?? [])],
        auth: { token },
        device,
      },
      { timeoutMs: connectTimeoutMs },
    );
    const hello = HelloOkSchema.safeParse(helloPayload);
    if (!hello.success) throw new OperatorError("protocol", `unexpected hello: ${hello.error.message}`);
    if (hello.data.protocol !== PROTOCOL_VERSION) {
      throw new OperatorError(
        "protocol",
        `the gateway speaks protocol ${hello.data.protocol}, not ${PROTOCOL_VERSION}`,
      );
    }

    const tickMs = hello.data.policy?.tickIntervalMs ?? 15_000;
    const watchdog = setInterval(() => {
      if (Date.now() - lastHeard > tickMs * 3) socket.terminate();
    }, tickMs);
    watchdog.unref();
    void closed.then(() => clearInterval(watchdog));

    return {
      hello: hello.data,
      request,
      onEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => {
        if (socket.readyState === WebSocket.CLOSED) return;
        socket.close(1000, "client closing");
        // A peer that never answers the close handshake must not keep the socket (and the process) alive.
        setTimeout(() => socket.terminate(), 2_000).unref();
      },
      closed,
    };
  } catch (error) {
    return fail(error);
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, rejectTimeout) => {
        timer = setTimeout(() => rejectTimeout(new OperatorError("timeout", message)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
