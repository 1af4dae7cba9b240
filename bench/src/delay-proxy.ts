import { once } from "node:events";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through HTTP proxy in front of `target` that holds every request for `delayMs` before forwarding it: a
 * stand-in for the round trip to a remote API (Stripe's, here) that a local stand-in answers in about a millisecond.
 * Counts what passes through, per method and path (ids replaced by `:id`).
 */
export async function startDelayProxy(target: string) {
  let delayMs = 0;
  const counts = new Map<string, number>();
  const upstreamAgent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const route = `${incoming.method} ${(incoming.url ?? "").split("?")[0]!.replace(/\/[a-z]+_[A-Za-z0-9]+/g, "/:id")}`;
      counts.set(route, (counts.get(route) ?? 0) + 1);
      const forward = () => {
        const upstream = request(
          new URL(incoming.url ?? "/", target),
          { method: incoming.method, headers: incoming.headers, agent: upstreamAgent },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        upstream.on("error", (error) => {
          outgoing.writeHead(502, { "content-type": "text/plain" });
          outgoing.end(`delay proxy: ${error.message}`);
        });
        upstream.end(Buffer.concat(chunks));
      };
      if (delayMs > 0) setTimeout(forward, delayMs);
      else forward();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setDelay(ms: number) {
      delayMs = ms;
    },
    /** Requests seen so far, per `METHOD /path` (ids as `:id`). */
    counts: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstreamAgent.destroy();
    },
  };
}

export type DelayProxy = Awaited<ReturnType<typeof startDelayProxy>>;
