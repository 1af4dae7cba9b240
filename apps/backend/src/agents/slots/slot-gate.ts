/**
 * Deployment slots: how many provisioning jobs may run at once, across the platform and per user, so a burst of
 * deploys queues instead of stampeding the engine. A slot is leased: the holder renews it while it works and it
 * frees itself when the holder dies (Redis); the reconciler also drops holders PostgreSQL says are not working
 * (`reconcile`), because PostgreSQL is the truth and Redis only the fast path.
 */
export interface SlotLease {
  /** The identifier in the semaphores: the operation's `slotHolder`. */
  readonly holder: string;
  /** Aborted if the lease was lost (could not be renewed in time); the holder should stop. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export type SlotAttempt =
  { readonly lease: SlotLease } | { readonly lease: null; readonly blockedBy: "user" | "global" };

export interface SlotUsage {
  readonly global: number;
  readonly globalLimit: number;
}

export interface SlotGate {
  readonly kind: "redis" | "in_process";
  /** Takes a per-user and a global slot, or neither (answers at once which limit is full). */
  tryAcquire(holder: string, userId: string): Promise<SlotAttempt>;
  /** Current use (for status pages, tests and the burst benchmark). */
  usage(): Promise<SlotUsage>;
  /** Holders currently registered for one user (tests) or globally. */
  holders(userId?: string): Promise<string[]>;
  /** Drops every holder not in `keep` (the reconciler passes the slot holders of running operations). */
  reconcile(keep: ReadonlyMap<string, string>): Promise<{ readonly removed: number }>;
  close(): Promise<void>;
}

export interface SlotLimits {
  readonly globalLimit: number;
  readonly perUserLimit: number;
  /** A lease not renewed for this long expires. */
  readonly leaseMs: number;
}
