import type { SlotGate, SlotLease, SlotLimits } from "./slot-gate.ts";

/**
 * Slots kept in this process, for a single backend without Redis (`./agentbot start` default). Leases need no TTL
 * here: when the process dies, its slots die with it.
 */
export function createInProcessSlotGate(limits: SlotLimits): SlotGate {
  const holdersByUser = new Map<string, Set<string>>();
  const global = new Map<string, string>();

  const drop = (holder: string) => {
    const userId = global.get(holder);
    global.delete(holder);
    if (userId !== undefined) holdersByUser.get(userId)?.delete(holder);
  };

  return {
    kind: "in_process",
    tryAcquire(holder, userId) {
      const mine = holdersByUser.get(userId) ?? new Set<string>();
      if (mine.size >= limits.perUserLimit) return Promise.resolve({ lease: null, blockedBy: "user" as const });
      if (global.size >= limits.globalLimit) return Promise.resolve({ lease: null, blockedBy: "global" as const });
      mine.add(holder);
      holdersByUser.set(userId, mine);
      global.set(holder, userId);
      const lost = new AbortController();
      const lease: SlotLease = {
        holder,
        lost: lost.signal,
        release: () => {
          drop(holder);
          return Promise.resolve();
        },
      };
      return Promise.resolve({ lease });
    },
    usage: () => Promise.resolve({ global: global.size, globalLimit: limits.globalLimit }),
    holders: (userId) =>
      Promise.resolve(userId === undefined ? [...global.keys()] : [...(holdersByUser.get(userId) ?? [])]),
    reconcile(keep) {
      let removed = 0;
      for (const holder of [...global.keys()]) {
        if (!keep.has(holder)) {
          drop(holder);
          removed += 1;
        }
      }
      return Promise.resolve({ removed });
    },
    close: () => Promise.resolve(),
  };
}
