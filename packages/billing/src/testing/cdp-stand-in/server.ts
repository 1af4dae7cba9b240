import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { API_PATH_PREFIX, cdpError, createCdpApi } from "./api.ts";
import type { ApiReply } from "./api.ts";
import { loadApiKey, loadWalletKey } from "./credentials.ts";
import { createWebhookSender } from "./webhooks.ts";
import type { CdpDeliveryResult, CdpSignedDelivery, CdpTransferInput } from "./webhooks.ts";

/**
 * A local stand-in for Coinbase CDP: the server-wallet API that `@coinbase/cdp-sdk` calls to create EVM accounts
 * (see api.ts, with the SDK's JWT credentials verified as CDP verifies them, auth.ts) and the
 * `onchain.activity.detected` webhooks CDP sends when a token Transfer reaches a watched address (webhooks.ts).
 *
 * Point a CdpClient at it with `basePath: standIn.basePath` (the billing config's CDP_API_BASE). Processes that use
 * the SDK should also set DISABLE_CDP_USAGE_TRACKING=true and DISABLE_CDP_ERROR_REPORTING=true, or the SDK reports
 * to Coinbase (the stand-in cannot stop that: it happens in the client).
 *
 * Besides CDP's paths it answers a control plane, for tests in other processes (main.ts), without credentials:
 * - `GET /_standin/health` → 200 `{ ok: true, basePath }`
 * - `POST /_standin/transfer` with a transfer input as JSON (`value` as a decimal string) → 200 with the delivery
 *   result `{ status, eventId, body, headers }`; 400 for a bad input, 409 when no webhook URL is set, 502 when the
 *   receiver could not be reached
 * - `POST /_standin/redeliver` `{ eventId }` → as transfer
 * - `POST /_standin/webhook-url` `{ url: string | null }` → 204
 * - `GET /_standin/accounts` → `{ accounts: [{ name, address, createdAt }] }` (every account, creation order)
 */

export interface CdpStandInOptions {
  apiKeyId: string;
  /** The API key secret clients sign with (Ed25519 base64 of 64 bytes, or EC P-256 PEM); only its public half is used. */
  apiKeySecret: string;
  /** The wallet secret clients sign wallet requests with (base64 DER PKCS#8, P-256); only its public half is used. */
  walletSecret: string;
  /** The webhook subscription's secret, keying X-Hook0-Signature. */
  webhookSecret: string;
  /** Where webhooks go; can be set later (setWebhookUrl). */
  webhookUrl?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

export interface CdpStandInRequest {
  readonly method: string;
  /** The path as received, e.g. `/platform/v2/evm/accounts` (the query left out). */
  readonly path: string;
  readonly status: number;
  readonly idempotencyKey: string | null;
}

export interface CdpStandIn {
  /** What to pass as CdpClient `basePath` (the billing config's CDP_API_BASE): `http://host:port/platform`. */
  readonly basePath: string;
  /** The stand-in's origin (`http://host:port`), where the `/_standin/*` control plane is. */
  readonly origin: string;
  /** Named accounts created so far, name → address (a snapshot). */
  readonly accounts: ReadonlyMap<string, string>;
  /** Every CDP API request answered so far, in order (a snapshot; the control plane is not recorded). */
  readonly requests: readonly CdpStandInRequest[];
  setWebhookUrl(url: string | undefined): void;
  /**
   * Simulates CDP detecting an ERC-20 Transfer log and POSTs its `onchain.activity.detected` webhook to the webhook
   * URL. Resolves with the receiver's status and exactly what was sent; rejects when no webhook URL is set, the
   * receiver cannot be reached, or (RangeError) the input is invalid. The event is remembered for `redeliver` even
   * when sending it failed.
   */
  transfer(input: CdpTransferInput): Promise<CdpDeliveryResult>;
  /** The delivery `transfer` would send, signed but not sent, and not remembered (for tamper tests). */
  signedDelivery(input: CdpTransferInput): CdpSignedDelivery;
  /** Sends an event `transfer` sent before again: same id and body, signature timestamp now (as Hook0 retries). */
  redeliver(eventId: string): Promise<CdpDeliveryResult>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

const transferInputSchema = z.object({
  to: z.string(),
  value: z.string(),
  contract: z.string().optional(),
  network: z.string().optional(),
  from: z.string().optional(),
  transactionHash: z.string().optional(),
  logIndex: z.number().int().nonnegative().optional(),
  blockNumber: z.number().int().nonnegative().optional(),
  timestamp: z.number().int().nonnegative().optional(),
});
const redeliverSchema = z.object({ eventId: z.string().min(1) });
const webhookUrlSchema = z.object({ url: z.url({ protocol: /^https?$/ }).nullable() });

export async function startCdpStandIn(options: CdpStandInOptions): Promise<CdpStandIn> {
  if (options.apiKeyId.trim() === "") throw new TypeError("startCdpStandIn: apiKeyId is empty");
  if (options.webhookSecret === "") throw new TypeError("startCdpStandIn: webhookSecret is empty");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError("startCdpStandIn: port must be an integer from 0 to 65535");
  }
  let webhookUrl = checkedWebhookUrl(options.webhookUrl);
  const api = createCdpApi({
    apiKeyId: options.apiKeyId,
    apiKey: loadApiKey(options.apiKeySecret),
    walletKey: loadWalletKey(options.walletSecret),
  });
  const sender = createWebhookSender({ secret: options.webhookSecret, webhookUrl: () => webhookUrl });
  const requests: CdpStandInRequest[] = [];

  async function control(request: IncomingMessage, path: string): Promise<ApiReply> {
    const method = request.method ?? "GET";
    if (method === "GET" && path === "/_standin/health") return { status: 200, body: { ok: true, basePath } };
    if (method === "GET" && path === "/_standin/accounts") {
      const accounts = api
        .allAccounts()
        .map(({ name, address, createdAt }) => ({ name: name ?? null, address, createdAt }));
      return { status: 200, body: { accounts } };
    }
    if (method !== "POST") return { status: 404, body: { error: `no ${method} ${path} on the stand-in` } };
    const json = parseJson(await readBody(request));
    if (json === undefined) return { status: 400, body: { error: "the body is not JSON" } };
    switch (path) {
      case "/_standin/transfer": {
        const input = transferInputSchema.safeParse(json);
        if (!input.success) return { status: 400, body: { error: zodMessage(input.error) } };
        return deliveryReply(() => sender.transfer(input.data));
      }
      case "/_standin/redeliver": {
        const input = redeliverSchema.safeParse(json);
        if (!input.success) return { status: 400, body: { error: zodMessage(input.error) } };
        return deliveryReply(() => sender.redeliver(input.data.eventId));
      }
      case "/_standin/webhook-url": {
        const input = webhookUrlSchema.safeParse(json);
        if (!input.success) return { status: 400, body: { error: zodMessage(input.error) } };
        webhookUrl = input.data.url ?? undefined;
        return { status: 204, body: undefined };
      }
      default:
        return { status: 404, body: { error: `no POST ${path} on the stand-in` } };
    }
  }

  async function deliveryReply(send: () => Promise<CdpDeliveryResult>): Promise<ApiReply> {
    if (webhookUrl === undefined) return { status: 409, body: { error: "no webhook URL is set" } };
    try {
      return { status: 200, body: await send() };
    } catch (error) {
      if (error instanceof RangeError) return { status: 400, body: { error: error.message } };
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      return { status: 502, body: { error: `the webhook receiver could not be reached${cause}` } };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const path = url.pathname;
    if (path.startsWith("/_standin/")) {
      send(response, await control(request, path));
      return;
    }
    const method = request.method ?? "GET";
    const idempotencyKey = headerValue(request, "x-idempotency-key") ?? null;
    let reply: ApiReply;
    try {
      reply = await api.handle({
        method,
        host: request.headers.host ?? "",
        path,
        authorization: request.headers.authorization,
        walletAuth: headerValue(request, "x-wallet-auth"),
        idempotencyKey,
        rawBody: await readBody(request),
      });
    } catch (error) {
      reply =
        error instanceof BodyTooLargeError
          ? cdpError(413, "invalid_request", error.message)
          : cdpError(500, "internal_server_error", error instanceof Error ? error.message : String(error));
    }
    requests.push({ method, path, status: reply.status, idempotencyKey });
    send(response, reply);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, cdpError(500, "internal_server_error", error instanceof Error ? error.message : String(error)));
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${hostPart}:${address.port}`;
  const basePath = `${origin}${API_PATH_PREFIX}`;

  let closing: Promise<void> | undefined;
  return {
    basePath,
    origin,
    get accounts() {
      return api.accountsByName();
    },
    get requests() {
      return [...requests];
    },
    setWebhookUrl(url) {
      webhookUrl = checkedWebhookUrl(url);
    },
    transfer: (input) => sender.transfer(input),
    signedDelivery: (input) => sender.signedDelivery(input),
    redeliver: (eventId) => sender.redeliver(eventId),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // The SDK's HTTP agent keeps connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function checkedWebhookUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const parsed = URL.parse(url);
  if (parsed === null || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new TypeError(`CDP stand-in: the webhook URL must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid input";
  return `${issue.path.length === 0 ? "body" : issue.path.map(String).join(".")}: ${issue.message}`;
}

function send(response: ServerResponse, reply: ApiReply): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status).end();
    return;
  }
  const body = JSON.stringify(reply.body);
  response
    .writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    })
    .end(body);
}
