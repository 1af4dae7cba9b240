import { setTimeout as sleep } from "node:timers/promises";

/**
 * Small HTTP helpers the contract suite uses to talk to a runtime the way the backend will: probes validated by
 * their JSON body (never just the status code), and the token-protected OpenAI-compatible API.
 */

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

const REQUEST_TIMEOUT_MS = 3_000;

/** GET/POST `path` under `baseUrl`; answers null when nothing answers (refused, reset, timed out). */
export async function requestRuntime(
  baseUrl: string,
  path: string,
  init: { readonly method?: string; readonly token?: string; readonly body?: unknown } = {},
): Promise<HttpAnswer | null> {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, "")}${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (the Control UI's HTML, an edge proxy's error page): keep the text.
    }
    return { status: response.status, body };
  } catch {
    return null;
  }
}

/** /healthz answers 200 `{"ok":true,"status":"live"}`. */
export async function isLive(baseUrl: string): Promise<boolean> {
  const answer = await requestRuntime(baseUrl, "/healthz");
  const body = answer?.body as { ok?: unknown; status?: unknown } | undefined;
  return answer?.status === 200 && body?.ok === true && body.status === "live";
}

/** /readyz answers 200 `{"ready":true,"failing":[]}`. */
export async function isReady(baseUrl: string): Promise<boolean> {
  const answer = await requestRuntime(baseUrl, "/readyz");
  const body = answer?.body as { ready?: unknown; failing?: unknown } | undefined;
  return answer?.status === 200 && body?.ready === true && Array.isArray(body.failing) && body.failing.length === 0;
}

export interface StartupInfo {
  readonly version: string | undefined;
  readonly uptimeMs: number;
}

/** Authenticated /startupz: the running version and uptime, or null while not started. */
export async function startupInfo(baseUrl: string, token: string): Promise<StartupInfo | null> {
  const answer = await requestRuntime(baseUrl, "/startupz", { token });
  const body = answer?.body as { ok?: unknown; status?: unknown; version?: unknown; uptimeMs?: unknown } | undefined;
  if (answer?.status !== 200 || body?.ok !== true || body.status !== "started" || typeof body.uptimeMs !== "number") {
    return null;
  }
  return { version: typeof body.version === "string" ? body.version : undefined, uptimeMs: body.uptimeMs };
}

/** Polls `check` until it answers something truthy; throws naming `what` and the last answer after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  options: { readonly timeoutMs: number; readonly intervalMs?: number },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + options.timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}
