import { Redis } from "ioredis";
import type { KeyValueStore, PingResult, SetOptions, Unsubscribe } from "./key-value-store.ts";

export interface RedisStoreOptions {
  /** Prepended to every key and channel; lets tests and environments share one Redis safely. */
  readonly keyPrefix?: string;
  /** Fail commands that take longer than this instead of hanging a request. */
  readonly commandTimeoutMs?: number;
  readonly onError?: (error: Error) => void;
}

// INCRBY and PEXPIRE in one step, so a counter never exists without its TTL.
/**
 * What the rate limiter needs from a Redis store beyond the public interface: the ioredis connection, the store's key
 * prefix and its readiness wait. Kept off `KeyValueStore` so ioredis never leaks into callers' types; only modules
 * inside this package (`rate-limiter.ts`) read it.
 */
export interface RedisStoreInternals {
  readonly client: Redis;
  readonly keyPrefix: string;
  ready(): Promise<void>;
}

const internals = new WeakMap<KeyValueStore, RedisStoreInternals>();

/** The internals of a store made by `createRedisStore`, or undefined for any other store. Package-internal. */
export function redisStoreInternals(store: KeyValueStore): RedisStoreInternals | undefined {
  return internals.get(store);
}

const INCREMENT_WITH_TTL = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

/**
 * The Redis implementation. One connection for commands and one, opened on first subscribe, for pub/sub
 * (a subscribed Redis connection cannot run other commands). ioredis reconnects by itself; while Redis is
 * down commands fail fast (no offline queue) so callers and `/readyz` see the outage immediately.
 */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): KeyValueStore {
  const prefix = options.keyPrefix ?? "";
  const connectionOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  } as const;
  const commands = new Redis(url, connectionOptions);
  let subscriber: Redis | undefined;
  const handlers = new Map<string, Set<(message: string) => void>>();
  const reportError = (error: Error) => options.onError?.(error);
  commands.on("error", reportError);

  async function ensureSubscriber(): Promise<Redis> {
    if (subscriber) return subscriber;
    const connection = new Redis(url, { ...connectionOptions, enableOfflineQueue: true, commandTimeout: undefined });
    connection.on("error", reportError);
    connection.on("message", (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(message);
    });
    subscriber = connection;
    if (connection.status !== "ready") await new Promise<void>((resolve) => connection.once("ready", () => resolve()));
    return connection;
  }

  // Callers arriving while the connection is being made share one wait (one "ready" listener, removed on timeout).
  let connecting: Promise<void> | undefined;
  async function ready(): Promise<void> {
    if (commands.status === "ready") return;
    if (commands.status === "connecting" || commands.status === "connect" || commands.status === "wait") {
      connecting ??= new Promise<void>((resolve, reject) => {
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          commands.off("ready", onReady);
          reject(new Error("redis is not connected"));
        }, connectionOptions.commandTimeout);
        commands.once("ready", onReady);
      }).finally(() => {
        connecting = undefined;
      });
      await connecting;
      return;
    }
    throw new Error(`redis is not connected (${commands.status})`);
  }

  const store: KeyValueStore = {
    kind: "redis",
    async get(key) {
      await ready();
      return commands.get(prefix + key);
    },
    async set(key, value, setOptions: SetOptions = {}) {
      await ready();
      const args: Array<string | number> = [];
      if (setOptions.ttlMs !== undefined) args.push("PX", Math.max(1, Math.ceil(setOptions.ttlMs)));
      if (setOptions.onlyIfAbsent) args.push("NX");
      const reply = await commands.call("SET", prefix + key, value, ...args);
      return reply === "OK";
    },
    async delete(key) {
      await ready();
      return (await commands.del(prefix + key)) > 0;
    },
    async incrementBy(key, by, incrementOptions = {}) {
      await ready();
      const reply = await commands.eval(
        INCREMENT_WITH_TTL,
        1,
        prefix + key,
        by,
        incrementOptions.ttlMs === undefined ? 0 : Math.max(1, Math.ceil(incrementOptions.ttlMs)),
      );
      return Number(reply);
    },
    async expire(key, ttlMs) {
      await ready();
      return (await commands.pexpire(prefix + key, Math.max(1, Math.ceil(ttlMs)))) === 1;
    },
    async ttlMs(key) {
      await ready();
      const remaining = await commands.pttl(prefix + key);
      return remaining < 0 ? null : remaining;
    },
    async publish(channel, message) {
      await ready();
      await commands.publish(prefix + channel, message);
    },
    async subscribe(channel, onMessage): Promise<Unsubscribe> {
      const connection = await ensureSubscriber();
      const fullChannel = prefix + channel;
      let set = handlers.get(fullChannel);
      if (!set) {
        set = new Set();
        handlers.set(fullChannel, set);
        await connection.subscribe(fullChannel);
      }
      set.add(onMessage);
      return async () => {
        const current = handlers.get(fullChannel);
        current?.delete(onMessage);
        if (current?.size === 0) {
          handlers.delete(fullChannel);
          await connection.unsubscribe(fullChannel);
        }
      };
    },
    async ping(timeoutMs): Promise<PingResult> {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          (async () => {
            await ready();
            await commands.ping();
          })(),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      commands.disconnect();
      subscriber?.disconnect();
      await Promise.resolve();
    },
  };
  internals.set(store, { client: commands, keyPrefix: prefix, ready });
  return store;
}
