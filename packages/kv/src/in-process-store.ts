import { EventEmitter } from "node:events";
import type { KeyValueStore, PingResult, SetOptions, Unsubscribe } from "./key-value-store.ts";

interface Entry {
  value: string;
  /** Epoch ms, or undefined for no expiry. */
  expiresAt: number | undefined;
}

export interface InProcessStoreOptions {
  /** Injectable clock so TTL behaviour is testable without waiting. */
  readonly now?: () => number;
  /** How often expired keys are swept (reads also check expiry, so this only bounds memory). */
  readonly sweepIntervalMs?: number;
}

/**
 * What the rate limiter needs from an in-process store beyond the public interface: a place for per-store shared
 * objects (its in-memory limiters, so two limiters with one key prefix count together as they do on Redis) that is
 * emptied on close, and the closed check. Package-internal.
 */
export interface InProcessStoreInternals {
  readonly shared: Map<string, unknown>;
  assertOpen(): void;
}

const internals = new WeakMap<KeyValueStore, InProcessStoreInternals>();

/** The internals of a store made by `createInProcessStore`, or undefined for any other store. Package-internal. */
export function inProcessStoreInternals(store: KeyValueStore): InProcessStoreInternals | undefined {
  return internals.get(store);
}

/**
 * The stand-in for Redis when `REDIS_URL` is not configured. Single process, single instance only:
 * nothing is shared across processes and everything is lost on restart (as with a Redis without persistence).
 */
export function createInProcessStore(options: InProcessStoreOptions = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const shared = new Map<string, unknown>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let closed = false;

  const sweep = setInterval(() => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt !== undefined && entry.expiresAt <= at) entries.delete(key);
  }, options.sweepIntervalMs ?? 30_000);
  sweep.unref();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function assertOpen() {
    if (closed) throw new Error("key-value store is closed");
  }

  const store: KeyValueStore = {
    kind: "in_process",
    get(key) {
      assertOpen();
      return Promise.resolve(live(key)?.value ?? null);
    },
    set(key, value, setOptions: SetOptions = {}) {
      assertOpen();
      if (setOptions.onlyIfAbsent && live(key)) return Promise.resolve(false);
      const expiresAt = setOptions.ttlMs === undefined ? undefined : now() + setOptions.ttlMs;
      entries.set(key, { value, expiresAt });
      return Promise.resolve(true);
    },
    delete(key) {
      assertOpen();
      const existed = live(key) !== undefined;
      entries.delete(key);
      return Promise.resolve(existed);
    },
    incrementBy(key, by, incrementOptions = {}) {
      assertOpen();
      const entry = live(key);
      const current = entry === undefined ? 0 : Number(entry.value);
      if (!Number.isInteger(current)) return Promise.reject(new Error(`value at ${key} is not an integer`));
      const next = current + by;
      const expiresAt = incrementOptions.ttlMs === undefined ? entry?.expiresAt : now() + incrementOptions.ttlMs;
      entries.set(key, { value: String(next), expiresAt });
      return Promise.resolve(next);
    },
    expire(key, ttlMs) {
      assertOpen();
      const entry = live(key);
      if (!entry) return Promise.resolve(false);
      entry.expiresAt = now() + ttlMs;
      return Promise.resolve(true);
    },
    ttlMs(key) {
      assertOpen();
      const entry = live(key);
      return Promise.resolve(entry?.expiresAt === undefined ? null : Math.max(0, entry.expiresAt - now()));
    },
    publish(channel, message) {
      assertOpen();
      // Deliver asynchronously, as Redis does, so publishers never run subscriber code inline.
      queueMicrotask(() => bus.emit(channel, message));
      return Promise.resolve();
    },
    subscribe(channel, onMessage): Promise<Unsubscribe> {
      assertOpen();
      const listener = (message: string) => onMessage(message);
      bus.on(channel, listener);
      return Promise.resolve(() => {
        bus.off(channel, listener);
        return Promise.resolve();
      });
    },
    ping(): Promise<PingResult> {
      return Promise.resolve(closed ? { ok: false, error: "store is closed" } : { ok: true, latencyMs: 0 });
    },
    close() {
      closed = true;
      clearInterval(sweep);
      entries.clear();
      shared.clear();
      bus.removeAllListeners();
      return Promise.resolve();
    },
  };
  internals.set(store, { shared, assertOpen });
  return store;
}
