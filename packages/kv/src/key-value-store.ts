/**
 * Everything Agentbot keeps in Redis goes through this interface: sessions, deployment slots, rate limits
 * and live events. Two implementations exist and pass the same contract suite (`test/contract.ts`):
 * - `createRedisStore`: Redis, for any number of backend and web instances.
 * - `createInProcessStore`: a Map and an EventEmitter inside one process, used when `REDIS_URL` is not set.
 *   It is correct for exactly ONE instance of each app: two processes would each see their own store.
 */
export interface SetOptions {
  /** Expire the key after this many milliseconds. */
  readonly ttlMs?: number;
  /** Only set when the key does not exist (Redis `NX`); `set` then answers whether it wrote. */
  readonly onlyIfAbsent?: boolean;
}

export type StoreKind = "redis" | "in_process";

export type PingResult =
  { readonly ok: true; readonly latencyMs: number } | { readonly ok: false; readonly error: string };

export type Unsubscribe = () => Promise<void>;

export interface KeyValueStore {
  readonly kind: StoreKind;
  get(key: string): Promise<string | null>;
  /** Answers true when the value was written (always, unless `onlyIfAbsent` found the key). */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /** Answers true when a key was removed. */
  delete(key: string): Promise<boolean>;
  /** Atomically adds `by` (may be negative) and answers the new value; a new key starts at 0. */
  incrementBy(key: string, by: number, options?: { readonly ttlMs?: number }): Promise<number>;
  /** Sets a TTL on an existing key; answers false when the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** Remaining lifetime in ms; `null` when the key has no TTL or does not exist. */
  ttlMs(key: string): Promise<number | null>;
  /** Delivers `message` to every subscriber of `channel` (at most once, no persistence). */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  /** Never throws and never waits longer than `timeoutMs`. */
  ping(timeoutMs: number): Promise<PingResult>;
  close(): Promise<void>;
}
