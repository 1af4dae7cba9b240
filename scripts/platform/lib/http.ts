import { setTimeout as sleep } from "node:timers/promises";

export interface WaitForHttpOptions {
  /** Statuses that mean "ready". */
  readonly ready: (status: number) => boolean;
  readonly timeoutMs: number;
  /** Stop waiting (and fail) when this says the server is gone. */
  readonly gone: () => boolean;
  /** Called once if it takes longer than a few seconds, to say what we are waiting for. */
  readonly onSlow?: () => void;
}

/** Polls `url` until it answers with a ready status. Throws with the last status or error seen. */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<void> {
  const started = Date.now();
  let last = "no answer yet";
  let warned = false;
  while (Date.now() - started < options.timeoutMs) {
    if (options.gone()) throw new Error(`the server exited while we waited for ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: "manual" });
      await response.body?.cancel();
      if (options.ready(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    if (!warned && Date.now() - started > 5_000) {
      warned = true;
      options.onSlow?.();
    }
    await sleep(200);
  }
  throw new Error(`${url} was not ready within ${options.timeoutMs / 1000} s (last: ${last})`);
}
