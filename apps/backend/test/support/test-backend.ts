import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createBackendClient } from "@agentbot/client";
import type { Db } from "@agentbot/db";
import { createTestDatabase } from "@agentbot/db/testing";
import { createRedisStore } from "@agentbot/kv";
import type { KeyValueStore } from "@agentbot/kv";
import { createApp } from "../../src/app.ts";
import { createLogger } from "../../src/logger.ts";
import { testRedisUrl } from "../env.ts";
import { LogCapture } from "./log-capture.ts";

export interface TestBackendOptions {
  /** Defaults to a Redis store on the test Redis with a unique key prefix. */
  readonly kv?: KeyValueStore;
  /** Defaults to a fresh migrated database. */
  readonly db?: Db;
  readonly readinessTimeoutMs?: number;
}

/** The real app (real PostgreSQL, real Redis) on an ephemeral port, with its logs captured. */
export async function startTestBackend(options: TestBackendOptions = {}) {
  const database = options.db ? undefined : await createTestDatabase();
  const db = options.db ?? database!.db;
  const kv = options.kv ?? createRedisStore(testRedisUrl, { keyPrefix: `test:${randomUUID()}:` });
  const token = randomBytes(32).toString("base64url");
  const logs = new LogCapture();
  const logger = createLogger({ level: "debug", destination: logs.stream });
  const app = createApp({
    db,
    kv,
    logger,
    serviceToken: token,
    version: "9.9.9-test",
    environment: "test",
    startedAt: new Date(Date.now() - 5_000),
    readinessTimeoutMs: options.readinessTimeoutMs ?? 1_000,
    now: () => new Date(),
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    token,
    db,
    kv,
    logs,
    client: createBackendClient({ baseUrl, token }),
    /** fetch with the service token already set. */
    authedFetch: (path: string, init: RequestInit = {}) =>
      fetch(new URL(path, baseUrl), {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
      }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kv.close();
      await database?.drop();
    },
  };
}

export type TestBackend = Awaited<ReturnType<typeof startTestBackend>>;
