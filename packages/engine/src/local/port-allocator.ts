import { createServer } from "node:net";
import { EngineError } from "../engine-driver.ts";

/** How far above its port OpenClaw derives helper ports (browser control, canvas…). */
export const HELPER_PORT_SPAN = 110;

/** Whether a listener could bind `port` on 127.0.0.1 right now. */
export function isPortBindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The lowest slot `portBase + k * portStride` that no other workload has reserved and that is bindable now, so
 * runtimes (and their helper ports up to +110) never overlap. Slots must fit below 65536 with their helper ports.
 */
export async function allocatePort(options: {
  readonly portBase: number;
  readonly portStride: number;
  readonly reserved: ReadonlySet<number>;
}): Promise<number> {
  for (let port = options.portBase; port + HELPER_PORT_SPAN <= 65535; port += options.portStride) {
    if (options.reserved.has(port)) continue;
    if (await isPortBindable(port)) return port;
  }
  throw new EngineError(
    "unavailable",
    `no free runtime port from ${options.portBase} in steps of ${options.portStride}: every slot is taken`,
    { retryable: true },
  );
}
