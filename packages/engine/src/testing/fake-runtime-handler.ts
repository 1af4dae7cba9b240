import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * One fake OpenClaw runtime's HTTP behaviour, shared by the single runtime (fake-runtime.ts) and the fleet
 * (fake-runtime-fleet.ts). It speaks the real protocol (see /work/shared/notes/openclaw.md): the three probes with
 * their JSON bodies, the Control UI's catch-all HTML, and the token-protected OpenAI-compatible API, where the
 * "model" echoes the last user message. Not covered: the WebSocket operator protocol, /tools/invoke, the admin RPC,
 * A2A, hooks.
 */
export interface FakeRuntimeState {
  gatewayToken: string;
  version: string;
  /** false: /readyz answers 503 with a failing check (liveness stays up, as in OpenClaw). */
  healthy: boolean;
  /** `gateway.http.endpoints.chatCompletions.enabled`: OpenClaw serves /v1/* only when it is on. */
  chatCompletions: boolean;
  readonly startedAt: number;
  readonly log: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;
const CONTROL_UI_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>OpenClaw Control</title></head>' +
  '<body><div id="app"></div></body></html>\n';

/** Tokens OpenClaw refuses as a gateway token (blank or an unset variable rendered as text). */
export function isUsableGatewayToken(token: string | undefined): token is string {
  if (token === undefined) return false;
  const trimmed = token.trim();
  return trimmed !== "" && trimmed !== "undefined" && trimmed !== "null";
}

/** Answers one request for the runtime `state`; `path` is the request path relative to the runtime's base URL. */
export async function handleFakeRuntimeRequest(
  state: FakeRuntimeState,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  const method = request.method ?? "GET";
  const pathname = path.split("?")[0] ?? "/";

  if (method === "GET" && (pathname === "/healthz" || pathname === "/health")) {
    return sendJson(response, 200, { ok: true, status: "live" });
  }
  if (method === "GET" && pathname === "/startupz") {
    const body: Record<string, unknown> = { ok: true, status: "started" };
    // OpenClaw reveals its version only to loopback or authenticated callers.
    if (isLoopback(request) || isAuthorized(state, request)) body.version = state.version;
    body.uptimeMs = Date.now() - state.startedAt;
    return sendJson(response, 200, body);
  }
  if (method === "GET" && pathname === "/readyz") {
    const uptimeMs = Date.now() - state.startedAt;
    return state.healthy
      ? sendJson(response, 200, { ready: true, failing: [], uptimeMs })
      : sendJson(response, 503, { ready: false, failing: ["agents"], uptimeMs });
  }
  if (pathname.startsWith("/v1/")) return handleOpenAiApi(state, request, response, method, pathname);
  if (method === "GET" || method === "HEAD") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(method === "HEAD" ? undefined : CONTROL_UI_HTML);
    return;
  }
  return sendError(response, 404, "not_found", `${method} ${pathname} is not served`);
}

async function handleOpenAiApi(
  state: FakeRuntimeState,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  pathname: string,
): Promise<void> {
  if (!state.chatCompletions) {
    return sendError(response, 404, "not_found", "the OpenAI-compatible endpoints are disabled in the gateway config");
  }
  if (!isAuthorized(state, request)) return sendError(response, 401, "unauthorized", "Unauthorized");
  if (method === "GET" && pathname === "/v1/models") {
    return sendJson(response, 200, {
      object: "list",
      data: [{ id: "openclaw/default", object: "model", created: secondsSince(state.startedAt), owned_by: "openclaw" }],
    });
  }
  if (method === "POST" && pathname === "/v1/chat/completions") return handleChat(state, request, response);
  return sendError(response, 404, "not_found", `${method} ${pathname} is not served`);
}

async function handleChat(state: FakeRuntimeState, request: IncomingMessage, response: ServerResponse) {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendError(response, 413, "invalid_request_error", error.message);
    return sendError(response, 400, "invalid_request_error", "the request body is not valid JSON");
  }
  if (!isRecord(body) || !Array.isArray(body.messages) || body.messages.length === 0) {
    return sendError(response, 400, "invalid_request_error", "messages must be a non-empty array");
  }
  const model = typeof body.model === "string" ? body.model : "openclaw/default";
  const stream = body.stream === true;
  const reply = `echo: ${lastUserMessage(body.messages)}`;
  state.log(`chat completion model=${model} stream=${stream}`);

  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  if (!stream) {
    const promptTokens = countTokens(JSON.stringify(body.messages));
    const completionTokens = countTokens(reply);
    return sendJson(response, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  }

  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })}\n\n`;
  response.write(chunk({ role: "assistant" }, null));
  // Word by word, so clients must join several deltas to get the whole reply.
  for (const piece of reply.split(/(?<= )/)) response.write(chunk({ content: piece }, null));
  response.write(chunk({}, "stop"));
  response.end("data: [DONE]\n\n");
}

function lastUserMessage(messages: unknown[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (!isRecord(message) || message.role !== "user") continue;
    if (typeof message.content === "string") return message.content;
    if (Array.isArray(message.content)) {
      return message.content.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : "")).join("");
    }
  }
  return "";
}

function isAuthorized(state: FakeRuntimeState, request: IncomingMessage): boolean {
  const header = request.headers.authorization;
  if (typeof header !== "string" || !header.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice("Bearer ".length));
  const expected = Buffer.from(state.gatewayToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? "";
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`the request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  sendJson(response, status, { error: { message, type } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function secondsSince(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
