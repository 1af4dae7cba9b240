export { createInProcessStore } from "./in-process-store.ts";
export type { InProcessStoreOptions } from "./in-process-store.ts";
export { createRedisStore } from "./redis-store.ts";
export type { RedisStoreOptions } from "./redis-store.ts";
export type { KeyValueStore, PingResult, SetOptions, StoreKind, Unsubscribe } from "./key-value-store.ts";
export { createKeyValueStore } from "./create-key-value-store.ts";
export { createRateLimiter } from "./rate-limiter.ts";
export type { RateLimiter, RateLimiterOptions, RateLimitResult } from "./rate-limiter.ts";
