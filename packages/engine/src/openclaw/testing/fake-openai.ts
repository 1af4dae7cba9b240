import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A tiny OpenAI-compatible model server for tests (an outside service: an LLM provider, or the platform's model
 * proxy). It speaks the real protocol OpenClaw's `openai-completions` adapter uses: `GET /v1/models`,
 * `POST /v1/chat/completions` non-streaming (`chat.completion`) and streaming (SSE `chat.completion.chunk` frames,
 * a usage frame when `stream_options.include_usage`, then `data: [DONE]`), Bearer auth with OpenAI's error shape.
 * Every answer is the same fixed text unless `respond` scripts the turn: then a turn can also be one tool call (the
 * `tool_calls` shape, streamed as real providers stream it), which is how tests make a real runtime run a command.
 * Images and the Responses API are not implemented.
 */

/** What the fake model answers to one chat completion request. */
export type FakeTurn =
  | { readonly text: string }
  | { readonly toolCall: { readonly name: string; readonly arguments: Record<string, unknown> } };

export interface FakeOpenAiOptions {
  /**
   * The key accepted in `Authorization: Bearer <key>`, or a check for keys the test cannot know in advance (e.g. the
   * per-agent tokens a backend derives for each agent it creates).
   */
  readonly apiKey: string | ((key: string) => boolean);
  /** Model ids listed by /v1/models and accepted by /v1/chat/completions. */
  readonly models: readonly string[];
  /** The assistant's answer to every request `respond` does not script. */
  readonly reply: string;
  /**
   * Scripts a turn from the request body (its `messages` and `tools`); undefined falls back to `reply`. Exceptions
   * answer 500, as a broken provider would.
   */
  readonly respond?: (body: FakeChatRequest) => FakeTurn | undefined;
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

/** The parts of a chat completion request a script reads. */
export interface FakeChatRequest {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content?: unknown; readonly tool_call_id?: string }[];
  readonly tools?: readonly { readonly function?: { readonly name?: string } }[];
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
  const turn: FakeTurn = options.respond?.(payload as unknown as FakeChatRequest) ?? { text: options.reply };
  const id = `chatcmpl-fake-${randomBytes(6).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const text = "text" in turn ? turn.text : "";
  const toolCall =
    "toolCall" in turn
      ? {
          id: `call_${randomBytes(8).toString("hex")}`,
          type: "function",
          function: { name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.arguments) },
        }
      : undefined;
  const finishReason = toolCall ? "tool_calls" : "stop";
  const usage = {
    prompt_tokens: JSON.stringify(payload.messages).length >> 2,
    completion_tokens: Math.max(1, text.split(/\s+/).length),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

  if (payload.stream !== true) {
    const message = toolCall
      ? { role: "assistant", content: null, tool_calls: [toolCall] }
      : { role: "assistant", content: text };
    sendJson(response, 200, {
      id,
      object: "chat.completion",
      created,
      model: payload.model,
      choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
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
  if (toolCall) {
    // The name and id first, then the arguments in pieces, as OpenAI streams a tool call.
    chunk([
      {
        index: 0,
        delta: {
          tool_calls: [
            { index: 0, id: toolCall.id, type: "function", function: { name: toolCall.function.name, arguments: "" } },
          ],
        },
        finish_reason: null,
      },
    ]);
    for (const piece of toolCall.function.arguments.match(/.{1,16}/gs) ?? []) {
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null }]);
    }
  } else {
    // Word by word, as real providers stream.
    for (const piece of text.match(/\S+\s*/g) ?? [text]) {
      chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
    }
  }
  chunk([{ index: 0, delta: {}, finish_reason: finishReason }]);
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

const runPattern = /RUN\[\[([\s\S]+?)\]\]/;

/**
 * A script that makes the model run a shell command through OpenClaw's `exec` tool: a user message containing
 * `RUN[[<command>]]` (the latest such message: a session keeps earlier turns) gets one `exec` tool call with that
 * command; once the conversation holds the tool's result after it (or the runtime's note that it was denied), the
 * model answers `Command result: <what the tool returned>`, so a test
 * can read the command's output, or its refusal, in the chat reply. Turns without tools (titles, recaps) fall back
 * to the fixed reply.
 */
export function runCommandScript(): (body: FakeChatRequest) => FakeTurn | undefined {
  return (body) => {
    if (!body.tools?.some((tool) => tool.function?.name === "exec")) return undefined;
    // Only the latest ask counts: a session keeps earlier turns (and their tool results) in its history, and the
    // runtime may add user-role context after the person's message.
    const askedAt = body.messages.findLastIndex(
      (message) => message.role === "user" && runPattern.test(contentText(message.content)),
    );
    if (askedAt === -1) return undefined;
    const toolResult = body.messages.slice(askedAt + 1).findLast((message) => message.role === "tool");
    if (toolResult) return { text: `Command result: ${contentText(toolResult.content)}` };
    const asked = runPattern.exec(contentText(body.messages[askedAt]?.content))?.[1];
    return asked === undefined ? undefined : { toolCall: { name: "exec", arguments: { command: asked } } };
  };
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === "object" && part !== null && "text" in part && typeof part.text === "string" ? part.text : "",
      )
      .join("");
  }
  return JSON.stringify(content ?? "");
}
