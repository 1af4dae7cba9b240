import { describe, expect, it } from "vitest";
import { readServerSentEvents } from "../src/index.ts";

// The SSE reader also runs in the browser (the dashboard's chat), on bodies arriving in arbitrary chunks.
function bodyOf(chunks: ReadonlyArray<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>) {
  const out = [];
  for await (const message of readServerSentEvents(body)) out.push(message);
  return out;
}

describe("readServerSentEvents", () => {
  it("joins chunks, multi-byte characters split between chunks, CRLF lines and multi-line data; skips comments", async () => {
    const check = new TextEncoder().encode("✓");
    const messages = await collect(
      bodyOf([
        ": ping\r\n\r\n",
        "event: note\r\nid: 7\r\ndata: first\r\ndata: second\r\n\r\n",
        "data: a",
        check.slice(0, 1),
        check.slice(1),
        "b\n\n",
        "data: never finished",
      ]),
    );
    expect(messages).toEqual([
      { event: "note", id: "7", data: "first\nsecond" },
      { event: undefined, id: undefined, data: "a✓b" },
    ]);
  });

  it("refuses an event that grows past the buffer limit", async () => {
    const huge = `data: ${"x".repeat(2 * 1024 * 1024)}`;
    await expect(collect(bodyOf([huge]))).rejects.toMatchObject({ type: "max-buffer-size-exceeded" });
  });

  it("cancels the body when the reader stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("data: 1\n\ndata: 2\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const message of readServerSentEvents(body)) {
      expect(message.data).toBe("1");
      break;
    }
    expect(cancelled).toBe(true);
  });
});
