import "server-only";
import { BackendError } from "@agentbot/client";
import type { PlanSummary, PlatformStatus } from "@agentbot/contracts";
import { backend } from "./backend.ts";

/** The outcome of one backend call as the page renders it: the data, or the error code to explain. */
export type Loaded<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly code: string };

async function load<T>(what: string, call: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await call() };
  } catch (error) {
    // A backend failure degrades the page instead of failing it; anything else is a bug and should surface as one.
    if (!(error instanceof BackendError)) throw error;
    console.error(`[web] ${what}: ${error.code} (${error.status}): ${error.message}`);
    return { ok: false, code: error.code };
  }
}

export interface HomeData {
  readonly plans: Loaded<readonly PlanSummary[]>;
  readonly status: Loaded<PlatformStatus>;
}

/** Fetches what the home page shows, both calls in parallel; never throws for a backend failure. */
export async function loadHomeData(): Promise<HomeData> {
  const [plans, status] = await Promise.all([
    load("GET /api/plans", async () => (await backend.getPlans()).plans),
    load("GET /api/status", () => backend.getStatus()),
  ]);
  return { plans, status };
}
