import { hostname } from "node:os";
import { newId } from "@agentbot/db";
import type { Db } from "@agentbot/db";
import type { Logger } from "../logger.ts";

export interface BackendInstanceRegistry {
  readonly id: string;
  stop(): Promise<void>;
}

/**
 * Records this process in `backend_instances` and refreshes `last_seen_at` every `heartbeatMs`.
 * Later the reconciler uses it to tell live instances from dead ones. A failed heartbeat (database briefly
 * down) is logged and retried on the next tick; it never takes the process down.
 */
export async function registerBackendInstance(
  db: Db,
  logger: Logger,
  options: { version: string; heartbeatMs?: number },
): Promise<BackendInstanceRegistry> {
  const id = newId("backendInstance");
  await db.backendInstance.create({ data: { id, hostname: hostname(), pid: process.pid, version: options.version } });
  const timer = setInterval(() => {
    db.backendInstance
      .update({ where: { id }, data: { lastSeenAt: new Date() } })
      .catch((error: unknown) => logger.warn({ err: error }, "backend instance heartbeat failed"));
  }, options.heartbeatMs ?? 15_000);
  timer.unref();
  return {
    id,
    async stop() {
      clearInterval(timer);
      await db.backendInstance.delete({ where: { id } }).catch((error: unknown) => {
        logger.warn({ err: error }, "could not remove backend instance record");
      });
    },
  };
}
