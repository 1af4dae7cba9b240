import { z } from "zod";

// OpenClaw's probes (openclaw.md). Every other path answers 200 text/html from the Control UI, so a status code
// alone proves nothing: the JSON body must say live/ready.
const Liveness = z.object({ ok: z.literal(true), status: z.literal("live") });
const Readiness = z.object({ ready: z.literal(true), failing: z.array(z.unknown()).optional() });

export type ProbeResult =
  | { readonly ok: true; readonly latencyMs: number }
  | { readonly ok: false; readonly stage: "healthz" | "readyz"; readonly error: string };

async function probeJson(url: string, schema: z.ZodType, timeoutMs: number): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
  } catch (error) {
    return `no answer (${(error as Error).name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : (error as Error).message})`;
  }
  const text = await response.text().catch(() => "");
  if (response.status !== 200) return `answered HTTP ${response.status}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "answered something that is not JSON (not an OpenClaw probe)";
  }
  return schema.safeParse(body).success ? null : "answered JSON that does not say it is up";
}

/** `/healthz` then `/readyz` of the runtime at `baseUrl`, validating both bodies. */
export async function probeRuntime(baseUrl: string, timeoutMs = 3_000): Promise<ProbeResult> {
  const started = performance.now();
  const base = baseUrl.replace(/\/$/, "");
  const live = await probeJson(`${base}/healthz`, Liveness, timeoutMs);
  if (live !== null) return { ok: false, stage: "healthz", error: `/healthz ${live}` };
  const ready = await probeJson(`${base}/readyz`, Readiness, timeoutMs);
  if (ready !== null) return { ok: false, stage: "readyz", error: `/readyz ${ready}` };
  return { ok: true, latencyMs: performance.now() - started };
}

export interface WaitForHealthyOptions {
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  /** Called once when /healthz first answers live, and once when /readyz answers ready. */
  readonly onStage?: (stage: "live" | "ready", elapsedMs: number) => void;
  /** First polls are fast (every 25 ms: a runtime that is up is seen at once), then back off ×1.5 to `maxIntervalMs`. */
  readonly initialIntervalMs?: number;
  readonly maxIntervalMs?: number;
  /** Checked between polls: a crashed workload fails at once instead of waiting for the deadline. */
  readonly isGone?: () => Promise<string | null>;
}

export type WaitResult =
  | { readonly healthy: true; readonly elapsedMs: number }
  | { readonly healthy: false; readonly reason: "health_timeout" | "crashed"; readonly message: string };

/** Polls until the runtime is live and ready, it crashes, or the deadline passes. */
export async function waitForHealthy(baseUrl: string, options: WaitForHealthyOptions): Promise<WaitResult> {
  const started = performance.now();
  const base = baseUrl.replace(/\/$/, "");
  let interval = options.initialIntervalMs ?? 25;
  const maxInterval = options.maxIntervalMs ?? 2_000;
  let live = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const elapsed = performance.now() - started;
    const stage = live ? "readyz" : "healthz";
    const result = await probeJson(`${base}/${stage}`, live ? Readiness : Liveness, 3_000);
    if (result === null && !live) {
      live = true;
      options.onStage?.("live", performance.now() - started);
      continue;
    }
    if (result === null) {
      const total = performance.now() - started;
      options.onStage?.("ready", total);
      return { healthy: true, elapsedMs: total };
    }
    const lastError = `/${stage} ${result}`;
    const gone = options.isGone ? await options.isGone() : null;
    if (gone !== null) return { healthy: false, reason: "crashed", message: gone };
    if (elapsed + interval > options.deadlineMs) {
      return {
        healthy: false,
        reason: "health_timeout",
        message: `the runtime did not become healthy within ${Math.round(options.deadlineMs / 1000)} s (last: ${lastError})`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}
