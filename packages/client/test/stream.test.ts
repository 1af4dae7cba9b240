import { once } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError, createBackendClient } from "../src/index.ts";

// A real HTTP peer speaking server-sent events the way the backend does (`data: <json>\n\n`, `: ping` comments),
// plus the ways a peer can misbehave (wrong type, bad JSON, dropped connection, slow headers).
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;
const cleanups: Array<() => void> = [];

interface Seen {
  readonly req: IncomingMessage;
  readonly body: string;
  /** Resolves when the client closed (or the server ended) the connection. */
  readonly closed: Promise<void>;
}

async function serve(handler: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const closed = once(res, "close").then(() => undefined);
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      seen.push({ req, body, closed });
      void handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function startEvents(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
}

const send = (res: ServerResponse, data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);

const logLine = (text: string) => ({ at: "2026-01-31T10:00:00.000Z", stream: "stdout", text });

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("stream()", () => {
  it("posts the chat body with the service token and yields each validated event, skipping pings", async () => {
    const token = "s".repeat(40);
    const { baseUrl, seen } = await serve(async (_req, res) => {
      startEvents(res);
      res.write(": ping\n\n");
      send(res, { type: "delta", text: "Hel" });
      // One event split across two writes, mid-line: the parser must join them.
      const second = `data: ${JSON.stringify({ type: "delta", text: "lo ✓" })}\n\n`;
      res.write(second.slice(0, 11));
      await sleep(30);
      res.write(second.slice(11));
      send(res, { type: "done", reply: "Hello ✓" });
      res.end();
    });
    const client = createBackendClient({ baseUrl, token });
    const events = [];
    for await (const event of await client.chatWithAgent("usr_1", "agt/2", { message: "hi" })) events.push(event);

    expect(events).toEqual([
      { type: "delta", text: "Hel" },
      { type: "delta", text: "lo ✓" },
      { type: "done", reply: "Hello ✓" },
    ]);
    expect(seen[0]?.req.method).toBe("POST");
    expect(seen[0]?.req.url).toBe("/api/users/usr_1/agents/agt%2F2/chat");
    expect(seen[0]?.req.headers.authorization).toBe(`Bearer ${token}`);
    expect(seen[0]?.req.headers.accept).toBe("text/event-stream");
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ message: "hi" });
  });

  it("rejects before streaming with the backend's JSON error, including Retry-After", async () => {
    const { baseUrl } = await serve((_req, res) => {
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "17" })
        .end(JSON.stringify({ error: { code: "rate_limited", message: "queue full" } }));
    });
    const error = await createBackendClient({ baseUrl })
      .streamAgentEvents("usr_1")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", message: "queue full", retryAfterSeconds: 17 });
  });

  it("passes a 404 through as not_found", async () => {
    const { baseUrl, seen } = await serve((_req, res) => {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "not_found", message: "no such agent" } }));
    });
    await expect(
      createBackendClient({ baseUrl }).streamAgentEvents("usr_1", { agentId: "agt_9" }),
    ).rejects.toMatchObject({ status: 404, code: "not_found" });
    expect(seen[0]?.req.url).toBe("/api/users/usr_1/agents-stream?agentId=agt_9");
  });

  it("throws invalid_response for an event that breaks the contract", async () => {
    const { baseUrl } = await serve((_req, res) => {
      startEvents(res);
      send(res, logLine("fine"));
      send(res, { at: "yesterday", stream: "stdout", text: "bad" });
      res.end();
    });
    const stream = await createBackendClient({ baseUrl }).followAgentLogs("usr_1", "agt_1");
    const received: unknown[] = [];
    const error = await (async () => {
      for await (const line of stream) received.push(line);
    })().catch((e: unknown) => e);
    expect(received).toEqual([logLine("fine")]);
    expect(error).toMatchObject({ code: "invalid_response" });
    expect((error as Error).message).toContain("at");
  });

  it("throws invalid_response for an event whose data is not JSON", async () => {
    const { baseUrl } = await serve((_req, res) => {
      startEvents(res);
      res.write("data: {not json\n\n");
      res.end();
    });
    const stream = await createBackendClient({ baseUrl }).followAgentLogs("usr_1", "agt_1");
    await expect(
      (async () => {
        for await (const _line of stream) void _line;
      })(),
    ).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("refuses an answer that is not an event stream", async () => {
    const { baseUrl } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await expect(createBackendClient({ baseUrl }).followAgentLogs("usr_1", "agt_1")).rejects.toMatchObject({
      code: "invalid_response",
    });
  });

  it("has no timeout once streaming: a quiet stream keeps going past timeoutMs", async () => {
    const { baseUrl } = await serve(async (_req, res) => {
      startEvents(res);
      await sleep(600);
      send(res, logLine("late but welcome"));
      res.end();
    });
    const stream = await createBackendClient({ baseUrl, timeoutMs: 200 }).followAgentLogs("usr_1", "agt_1");
    const lines = [];
    for await (const line of stream) lines.push(line.text);
    expect(lines).toEqual(["late but welcome"]);
  });

  it("times out waiting for the answer's headers as backend_unreachable", async () => {
    const { baseUrl } = await serve(() => undefined);
    const started = Date.now();
    const error = await createBackendClient({ baseUrl, timeoutMs: 200 })
      .followAgentLogs("usr_1", "agt_1")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "backend_unreachable" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("ends quietly when the caller aborts mid-stream, and the connection closes", async () => {
    const { baseUrl, seen } = await serve((_req, res) => {
      startEvents(res);
      send(res, logLine("one"));
      // Then stays open, as a live stream does.
    });
    const controller = new AbortController();
    const stream = await createBackendClient({ baseUrl }).followAgentLogs("usr_1", "agt_1", {
      signal: controller.signal,
    });
    const lines = [];
    for await (const line of stream) {
      lines.push(line.text);
      controller.abort();
    }
    expect(lines).toEqual(["one"]);
    await seen[0]?.closed;
  });

  it("rejects with the abort reason when aborted before the answer", async () => {
    const { baseUrl } = await serve(() => undefined);
    const controller = new AbortController();
    const pending = createBackendClient({ baseUrl }).followAgentLogs("usr_1", "agt_1", {
      signal: controller.signal,
    });
    controller.abort(new Error("user left"));
    await expect(pending).rejects.toThrow("user left");
  });

  it("closes the connection when the loop is left early or close() is called", async () => {
    const { baseUrl, seen } = await serve((_req, res) => {
      startEvents(res);
      send(res, logLine("one"));
      send(res, logLine("two"));
    });
    const client = createBackendClient({ baseUrl });
    for await (const line of await client.followAgentLogs("usr_1", "agt_1")) {
      expect(line.text).toBe("one");
      break;
    }
    await seen[0]?.closed;

    const unread = await client.followAgentLogs("usr_1", "agt_1");
    unread.close();
    await seen[1]?.closed;
  });

  it("reports a connection that breaks off mid-stream as stream_interrupted", async () => {
    const { baseUrl } = await serve(async (_req, res) => {
      startEvents(res);
      send(res, logLine("one"));
      await sleep(50);
      res.destroy();
    });
    const stream = await createBackendClient({ baseUrl }).followAgentLogs("usr_1", "agt_1");
    const lines: string[] = [];
    const error = await (async () => {
      for await (const line of stream) lines.push(line.text);
    })().catch((e: unknown) => e);
    expect(lines).toEqual(["one"]);
    expect(error).toMatchObject({ code: "stream_interrupted" });
  });

  it("refuses call() on a streaming route and stream() on a JSON route", async () => {
    const client = createBackendClient({ baseUrl: "http://127.0.0.1:9" });
    const { routes } = await import("@agentbot/contracts");
    await expect(client.call(routes.followAgentLogs, { params: { userId: "u", agentId: "a" } })).rejects.toThrow(
      /streaming route/,
    );
    await expect(client.stream(routes.getAgent, { params: { userId: "u", agentId: "a" } })).rejects.toThrow(
      /not a streaming route/,
    );
  });
});
