import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A tiny OpenAI-compatible model server for tests (an outside service: an LLM provider, or the platform's model
 * proxy). It speaks the real protocol OpenClaw's `openai-completions` adapter uses: `GET /v1/models`,
 * `POST /v1/chat/completions` non-streaming (`chat.completion`) and streaming (SSE `chat.completion.chunk` frames,
 * a usage frame when `stream_options.include_usage`, then `data: [DONE]`), Bearer auth with OpenAI's error shape.
 * Every answer is the same fixed text; tool calls, images and the Responses API are not implemented.
 */

export interface FakeOpenAiOptions {
  /**
   * The key accepted in `Authorization: Bearer <key>`, or a check for keys the test cannot know in advance (e.g. the
   * per-agent tokens a backend derives for each agent it creates).
   */
  readonly apiKey: string | ((key: string) => boolean);
  /** Model ids listed by /v1/models and accepted by /v1/chat/completions. */
  readonly models: readonly string[];
  /** The assistant's answer to every request. */
  readonly reply: string;
  /** Port on 127.0.0.1; default: any free port. */
  readonly port?: number;
}

export interface FakeOpenAiRequest {
  readonly method: string;
  readonly path: string;
  /** Whether the bearer token matched. */
  readonly authorized: boolean;
  /** The parsed JSON body of a POST (undefined otherwise). */
  readonly body: unknown;
}

export interface FakeOpenAiServer {
  /** e.g. `http://127.0.0.1:43123/v1` (what a provider's `baseUrl` should be). */
  readonly baseUrl: string;
  /** Every request received, oldest first. */
  readonly requests: readonly FakeOpenAiRequest[];
  /** Chat completion requests that were authorized and answered. */
  readonly completions: () => readonly FakeOpenAiRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAiServer> {
  const requests: FakeOpenAiRequest[] = [];
  const server = createServer((request, response) => {
    handle(request, response, options, requests).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, "server_error", String(error));
      else response.end();
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    completions: () =>
      requests.filter((entry) => entry.authorized && entry.method === "POST" && entry.path === "/v1/chat/completions"),
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: FakeOpenAiOptions,
  requests: FakeOpenAiRequest[],
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://fake").pathname;
  const method = request.method ?? "GET";
  const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  const authorized =
    key !== undefined && (typeof options.apiKey === "string" ? key === options.apiKey : options.apiKey(key));
  const body = method === "POST" ? await readJson(request) : undefined;
  requests.push({ method, path, authorized, body });

  if (!authorized) {
    sendError(response, 401, "invalid_api_key", "Incorrect API key provided.");
    return;
  }
  if (method === "GET" && path === "/v1/models") {
    sendJson(response, 200, {
      object: "list",
      data: options.models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake-openai" })),
    });
    return;
  }
  if (method === "POST" && path === "/v1/chat/completions") {
    answerChat(response, options, body);
    return;
  }
  sendError(response, 404, "not_found", `Unknown route ${method} ${path}`);
}

function answerChat(response: ServerResponse, options: FakeOpenAiOptions, body: unknown): void {
  const payload = (typeof body === "object" && body !== null ? body : {}) as {
    model?: unknown;
    messages?: unknown;
    stream?: unknown;
    stream_options?: { include_usage?: unknown };
  };
  if (typeof payload.model !== "string" || !options.models.includes(payload.model)) {
    sendError(response, 404, "model_not_found", `The model '${String(payload.model)}' does not exist`);
    return;
  }
  if (!Array.isArray(payload.messages) || payload.messages.length === 0) {
    sendError(response, 400, "invalid_request_error", "'messages' must be a non-empty array");
    return;
  }
  const id = `chatcmpl-fake-${randomBytes(6).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = {
    prompt_tokens: JSON.stringify(payload.messages).length >> 2,
    completion_tokens: options.reply.split(/\s+/).length,
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

  if (payload.stream !== true) {
    sendJson(response, 200, {
      id,
      object: "chat.completion",
      created,
      model: payload.model,
      choices: [
        { index: 0, message: { role: "assistant", content: options.reply }, finish_reason: "stop", logprobs: null },
      ],
      usage,
    });
    return;
  }

  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    response.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: payload.model, choices, ...extra })}\n\n`,
    );
  chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  // Word by word, as real providers stream.
  for (const piece of options.reply.match(/\S+\s*/g) ?? [options.reply]) {
    chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
  }
  chunk([{ index: 0, delta: {}, finish_reason: "stop" }]);
  if (payload.stream_options?.include_usage === true) chunk([], { usage });
  response.end("data: [DONE]\n\n");
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, {
    error: { message, type: status === 401 ? "invalid_request_error" : code, param: null, code },
  });
}
