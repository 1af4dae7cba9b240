import { Agent, request } from "node:http";

export interface HttpRequestSpec {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface HttpAnswer {
  /** Null when no answer came (then `error` says why). */
  readonly status: number | null;
  readonly body: string;
  /** Request written → last byte of the answer read, in ms. */
  readonly ms: number;
  readonly error: string | null;
}

/**
 * Sends batches of requests to one server, all of a batch at once, each timed from the moment it is written to the
 * moment its whole answer has arrived. Connections are kept alive between batches (a warm-up at the batch size opens
 * them), so what is timed is the server's answer, not TCP set-up.
 */
export function createHttpClient(baseUrl: string, timeoutMs = 30_000) {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

  function send(spec: HttpRequestSpec): Promise<HttpAnswer> {
    return new Promise((resolve) => {
      let settled = false;
      const started = performance.now();
      const done = (answer: Omit<HttpAnswer, "ms">) => {
        if (settled) return;
        settled = true;
        resolve({ ...answer, ms: performance.now() - started });
      };
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: spec.path,
          method: spec.method,
          agent,
          headers: {
            ...spec.headers,
            ...(spec.body === undefined ? {} : { "content-length": String(Buffer.byteLength(spec.body)) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            done({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8"), error: null }),
          );
          response.on("error", (error) => done({ status: null, body: "", error: error.message }));
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (error) => done({ status: null, body: "", error: error.message }));
      req.end(spec.body);
    });
  }

  return {
    send,
    /** All at once; answers in the order of `specs`, with the batch's wall time (first write → last answer). */
    async batch(specs: readonly HttpRequestSpec[]): Promise<{ answers: HttpAnswer[]; wallMs: number }> {
      const started = performance.now();
      const answers = await Promise.all(specs.map(send));
      return { answers, wallMs: performance.now() - started };
    },
    close() {
      agent.destroy();
    },
  };
}
