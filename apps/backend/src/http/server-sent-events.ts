import type { Request, Response } from "express";

const HEARTBEAT_MS = 15_000;

export interface ServerSentEvents {
  /** Writes one event: `data: <JSON>`. Answers false once the client has gone. */
  send(data: unknown): boolean;
  /** Aborted when the client disconnects (stop upstream work then). */
  readonly signal: AbortSignal;
  end(): void;
}

/**
 * Starts a `text/event-stream` answer: every message is `data: <JSON>\n\n`, with a `: ping` comment every 15 s so
 * proxies keep the connection open. Errors found before this is called are ordinary JSON errors with their status.
 */
export function startServerSentEvents(req: Request, res: Response): ServerSentEvents {
  const closed = new AbortController();
  res.status(200);
  res.setHeader("content-type", "text/event-stream; charset=utf-8");
  res.setHeader("cache-control", "no-cache, no-transform");
  res.setHeader("x-accel-buffering", "no");
  res.flushHeaders();
  res.write(": connected\n\n");
  const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  const finish = () => {
    clearInterval(heartbeat);
    closed.abort();
  };
  req.on("close", finish);
  res.on("close", finish);
  return {
    signal: closed.signal,
    send(data) {
      if (closed.signal.aborted) return false;
      return res.write(`data: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      finish();
      if (!res.writableEnded) res.end();
    },
  };
}
