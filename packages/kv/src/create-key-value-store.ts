import { createInProcessStore } from "./in-process-store.ts";
import type { KeyValueStore } from "./key-value-store.ts";
import { createRedisStore } from "./redis-store.ts";
import type { RedisStoreOptions } from "./redis-store.ts";

/** Redis when a URL is configured, the single-instance in-process stand-in otherwise. */
export function createKeyValueStore(redisUrl: string | undefined, options: RedisStoreOptions = {}): KeyValueStore {
  return redisUrl ? createRedisStore(redisUrl, options) : createInProcessStore();
}
