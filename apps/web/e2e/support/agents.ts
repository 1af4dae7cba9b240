import { readServerSentEvents } from "@agentbot/client";
import { expect } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import pg from "pg";
import { e2eRun } from "../../testing/env.ts";
import { bearer, randomIp } from "./accounts.ts";

/**
 * Helpers for the agents specs. `subscribe` gives a user a plan in force by setting the `plan` and
 * `subscription_status` columns the subscription gate reads, which is what billing stores (billing.spec.ts pays for
 * real through the stand-ins; these specs are about agents). Nothing in billing revisits such a user: there is no
 * subscription, period or grant whose change would.
 */
export async function subscribe(
  email: string,
  plan: "solo" | "collective" | "label" | "network",
  databaseUrl = e2eRun().databaseUrl,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query("UPDATE users SET plan = $2, subscription_status = 'active' WHERE email = $1", [
      email.toLowerCase(),
      plan,
    ]);
    expect(result.rowCount, `user ${email} exists`).toBe(1);
  } finally {
    await client.end();
  }
}

/** A unique agent name (lowercase, digits, hyphens; at most 40 characters). */
export function agentName(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`.slice(0, 40);
}

interface AgentBody {
  readonly agent: { readonly id: string; readonly status: string; readonly name: string };
}

/** Polls `GET /api/v1/agents/{id}` until the agent reaches `status` (provisioning the fake runtime takes seconds). */
export async function waitForStatus(
  request: APIRequestContext,
  key: string,
  agentId: string,
  status: string,
  timeout = 60_000,
): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await request.get(`/api/v1/agents/${agentId}`, { headers: bearer(key) });
        return ((await response.json()) as AgentBody).agent.status;
      },
      { timeout, intervals: [250, 500, 1_000] },
    )
    .toBe(status);
}

/**
 * Opens a streaming route of the web app with plain `fetch` (Playwright's request context waits for the whole body,
 * which a live stream never finishes) and collects events until `enough` says so; then closes the connection.
 */
export async function collectEvents<T = unknown>(
  path: string,
  init: { method?: string; headers: Record<string, string>; body?: unknown; baseUrl?: string },
  enough: (events: readonly T[]) => boolean,
  timeoutMs = 30_000,
): Promise<{ status: number; contentType: string | null; events: T[] }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no complete stream within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetch(new URL(path, init.baseUrl ?? e2eRun().webUrl), {
      method: init.method ?? "GET",
      headers: {
        "x-forwarded-for": randomIp(),
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: controller.signal,
    });
    const events: T[] = [];
    if (response.ok && response.body !== null) {
      for await (const message of readServerSentEvents(response.body)) {
        events.push(JSON.parse(message.data) as T);
        if (enough(events)) break;
      }
    } else {
      events.push((await response.json()) as T);
    }
    return { status: response.status, contentType: response.headers.get("content-type"), events };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
