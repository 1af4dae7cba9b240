import { createParser } from "eventsource-parser";
import type { EventSourceMessage } from "eventsource-parser";

export type { EventSourceMessage } from "eventsource-parser";

/**
 * One event stream is never allowed to buffer more than this many characters of a single unfinished event (a peer
 * that never ends its event must not grow our memory without bound). Our events are small JSON objects.
 */
const maxBufferSize = 1024 * 1024;

/**
 * Reads a `text/event-stream` body and yields its events (`data` joined across `data:` lines, `event` and `id` when
 * present); comments (`: ping`) and `retry:` lines are skipped. Works in browsers and on Node (no Node imports), so
 * the dashboard's streaming `fetch` (chat is a POST, which `EventSource` cannot send) uses the same parsing as the
 * server side.
 *
 * Leaving the loop early (`break`, `return`, an exception) cancels the body, which closes the connection.
 * A malformed stream (an event past the buffer limit) throws; an event the peer never finished is dropped.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const pending: EventSourceMessage[] = [];
  let parseError: Error | undefined;
  const parser = createParser({
    maxBufferSize,
    onEvent: (message) => pending.push(message),
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") parseError = error;
      // Other errors are lines that are not SSE fields: the protocol says to ignore them.
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        parser.feed(decoder.decode());
        break;
      }
      parser.feed(decoder.decode(value, { stream: true }));
      if (parseError !== undefined) throw parseError;
      while (pending.length > 0) yield pending.shift()!;
    }
    while (pending.length > 0) yield pending.shift()!;
  } finally {
    // An early exit cancels the body so the connection closes; a finished stream only needs its lock released.
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => undefined);
  }
}
