import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";

/**
 * One service domain of the fake Railway: a listener on 127.0.0.1 that forwards to whatever the service's active
 * deployment is (the way Railway's edge routes `*.up.railway.app` to the current deployment), so the domain stays the
 * same across restarts and redeploys. With no deployment to route to it answers 502 "Application failed to respond",
 * as Railway's edge does. WebSocket upgrades are piped through. Not covered: TLS, HTTP/2, Railway's edge headers.
 */
export interface FakeEdge {
  /** `127.0.0.1:<port>`: what `serviceDomainCreate` answers as the domain. */
  readonly domain: string;
  close(): Promise<void>;
}

export async function startFakeEdge(target: () => URL | undefined): Promise<FakeEdge> {
  const server = createServer((req, res) => {
    const upstream = target();
    if (!upstream) {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "error", code: 502, message: "Application failed to respond" }));
      return;
    }
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "error", code: 502, message: "Application failed to respond" }));
      } else {
        res.destroy();
      }
    });
    req.pipe(forwarded);
  });
  const upgraded = new Set<{ destroy(): void }>();
  server.on("upgrade", (req, socket, head) => {
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    const upstream = target();
    if (!upstream) {
      socket.end("HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n");
      return;
    }
    const backend = connect(Number(upstream.port), upstream.hostname, () => {
      upgraded.add(backend);
      backend.on("close", () => upgraded.delete(backend));
      const headerLines = Object.entries(req.headers).flatMap(([name, value]) =>
        name === "host" ? [] : (Array.isArray(value) ? value : [value ?? ""]).map((one) => `${name}: ${one}`),
      );
      backend.write(
        [`${req.method ?? "GET"} ${req.url ?? "/"} HTTP/1.1`, `host: ${upstream.host}`, ...headerLines, "", ""].join(
          "\r\n",
        ),
      );
      if (head.length > 0) backend.write(head);
      backend.pipe(socket);
      socket.pipe(backend);
    });
    backend.on("error", () => socket.destroy());
    socket.on("error", () => backend.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    domain: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
