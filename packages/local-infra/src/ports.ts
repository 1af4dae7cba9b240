import { connect, createServer } from "node:net";
import getPort from "get-port";

/** True if nothing listens on `host:port` (we could bind it just now). */
export async function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port that is free on 127.0.0.1 right now (for test infrastructure). */
export async function findFreePort(): Promise<number> {
  return getPort({ host: "127.0.0.1" });
}

/** True if a TCP connection to `host:port` opens within `timeoutMs`. */
export async function isTcpReachable(host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => done(true));
  });
}
