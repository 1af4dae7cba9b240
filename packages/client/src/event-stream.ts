import type { RouteDefinition, RouteOutput } from "@agentbot/contracts";
import { BackendError } from "./backend-error.ts";
import { buildRequest, contractError, errorFromAnswer, readJson, unreachableError } from "./http.ts";
import type { Transport } from "./http.ts";
import { readServerSentEvents } from "./sse.ts";

export interface StreamOptions {
  /** Aborting it closes the stream: before the answer, `stream()` rejects with the signal's reason; afterwards the
   * iteration simply ends. There is no timeout once events flow (a live stream may be quiet for hours). */
  readonly signal?: AbortSignal | undefined;
}

/** The events of one `streaming: "sse"` route, each validated against the route's response schema. */
export interface BackendEventStream<T> extends AsyncIterable<T> {
  /** Stops reading and closes the connection (what leaving a `for await` loop early also does). Idempotent. */
  close(): void;
}

/**
 * Opens a server-sent event stream. Resolves once the backend answered with `text/event-stream`; any other answer
 * rejects with a `BackendError` carrying the backend's JSON error (so callers can map 404, 409… before they start
 * streaming anything themselves). `connectTimeoutMs` bounds only the wait for the answer's headers.
 *
 * Iterating yields the `data` of each event parsed as JSON and validated; an event that is not JSON or breaks the
 * contract throws `invalid_response`, a connection that breaks off throws `stream_interrupted`. The stream ends when
 * the backend ends it, or quietly when the caller aborts or closes it. It can be iterated once.
 */
export async function openEventStream<R extends RouteDefinition>(
  transport: Transport,
  route: R,
  input: Record<string, unknown>,
  options: StreamOptions & { readonly connectTimeoutMs: number },
): Promise<BackendEventStream<RouteOutput<R>>> {
  if (route.streaming !== "sse") throw new TypeError(`${route.id} is not a streaming route: use call()`);
  options.signal?.throwIfAborted();
  const { url, init } = buildRequest(transport, route, input, "text/event-stream");
  const closer = new AbortController();
  const connectTimer = setTimeout(
    () => closer.abort(new Error(`no answer within ${options.connectTimeoutMs} ms`)),
    options.connectTimeoutMs,
  );
  const signal = options.signal === undefined ? closer.signal : AbortSignal.any([closer.signal, options.signal]);

  let response: Response;
  try {
    response = await transport.fetch(url, { ...init, signal });
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw unreachableError(route, url, closer.signal.aborted ? closer.signal.reason : cause);
  } finally {
    clearTimeout(connectTimer);
  }

  if (response.status !== route.successStatus) throw errorFromAnswer(response, await readJson(response));
  const type = response.headers.get("content-type") ?? "";
  if (!/^text\/event-stream\b/i.test(type) || response.body === null) {
    await response.body?.cancel().catch(() => undefined);
    throw new BackendError({
      status: response.status,
      code: "invalid_response",
      message: `${route.id}: expected text/event-stream, got ${type || "no content type"}`,
    });
  }

  const body = response.body;
  const stopped = () => closer.signal.aborted || options.signal?.aborted === true;
  async function* events(): AsyncGenerator<RouteOutput<R>> {
    try {
      for await (const message of readServerSentEvents(body)) {
        if (message.data === "") continue;
        let data: unknown;
        try {
          data = JSON.parse(message.data) as unknown;
        } catch {
          throw new BackendError({
            status: response.status,
            code: "invalid_response",
            message: `${route.id}: an event's data is not JSON`,
          });
        }
        const parsed = route.response.safeParse(data);
        if (!parsed.success) throw contractError(route, response.status, parsed.error.issues);
        yield parsed.data as RouteOutput<R>;
      }
    } catch (error) {
      if (error instanceof BackendError) throw error;
      if (stopped()) return;
      throw new BackendError({
        status: response.status,
        code: "stream_interrupted",
        message: `${route.id}: the stream broke off: ${(error as Error).message}`,
        cause: error,
      });
    } finally {
      closer.abort(new Error("stream closed"));
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: () => {
      closer.abort(new Error("stream closed by the caller"));
      void iterator.return(undefined);
    },
  };
}
