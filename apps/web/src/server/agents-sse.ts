import "server-only";
import type { BackendEventStream } from "@agentbot/client";
import { isBackendError } from "./agents-errors.ts";

/** A comment every 15 s keeps idle streams open through proxies and lets a dead client be noticed. */
const heartbeatMs = 15_000;

export const eventStreamHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform: compression (next start's included) must not buffer the stream.
  "cache-control": "no-cache, no-transform",
  // Tells nginx-style proxies not to buffer either.
  "x-accel-buffering": "no",
} as const;

/**
 * Relays a backend event stream to the browser or API client as server-sent events: each event re-serialised as
 * `data: <JSON>\n\n` (it was validated against the contract on the way in), with our own `: ping` heartbeats. When the
 * client disconnects (`request.signal`, or the body being cancelled) the backend stream is closed at once, so nothing
 * keeps following logs for nobody.
 *
 * If the backend stream breaks off, `lastEvent` may name a final event to send (the chat's `error` event); other
 * streams simply end, and `EventSource` reconnects by itself.
 */
export function eventStreamResponse<T>(
  events: BackendEventStream<T>,
  request: Request,
  what: string,
  lastEvent?: (error: { code: string; message: string }) => T,
): Response {
  const encoder = new TextEncoder();
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let finished = false;

  /** Stops everything once; true for the call that did. */
  const finish = (): boolean => {
    if (finished) return false;
    finished = true;
    clearInterval(heartbeat);
    request.signal.removeEventListener("abort", end);
    events.close();
    return true;
  };
  function end() {
    if (!finish()) return;
    try {
      stream?.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  }
  const write = (text: string) => {
    if (finished) return;
    try {
      stream?.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stream = controller;
      if (request.signal.aborted) return end();
      request.signal.addEventListener("abort", end, { once: true });
      // A first chunk at once: the response's headers go out with it, so the client's `open` does not wait for the
      // first event (a quiet log can take minutes).
      write(": connected\n\n");
      heartbeat = setInterval(() => write(": ping\n\n"), heartbeatMs);

      void (async () => {
        try {
          for await (const event of events) write(`data: ${JSON.stringify(event)}\n\n`);
        } catch (error) {
          const failure = isBackendError(error)
            ? { code: error.code, message: "The stream broke off. Try again." }
            : { code: "internal_error", message: "Something went wrong on our side." };
          console.error(`[web] ${what}: stream ended with ${failure.code}: ${(error as Error).message}`);
          if (lastEvent !== undefined) write(`data: ${JSON.stringify(lastEvent(failure))}\n\n`);
        } finally {
          end();
        }
      })();
    },
    cancel() {
      finish();
    },
  });

  return new Response(body, { status: 200, headers: eventStreamHeaders });
}
