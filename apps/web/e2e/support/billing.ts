import { expect } from "@playwright/test";
import pg from "pg";
import { e2eRun } from "../../testing/env.ts";

/** Runs one query against this run's database (to find what the app stored: a subscription id, an invoice). */
export async function queryOne<T extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<T> {
  const client = new pg.Client({ connectionString: e2eRun().databaseUrl });
  await client.connect();
  try {
    const result = await client.query<T>(sql, params);
    expect(result.rows.length, `one row for ${sql}`).toBeGreaterThan(0);
    return result.rows[0]!;
  } finally {
    await client.end();
  }
}

/** The user's card subscription id, as the Stripe webhook stored it. */
export async function subscriptionIdOf(email: string): Promise<string> {
  const row = await queryOne<{ id: string }>(
    "SELECT s.id FROM stripe_subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
    [email.toLowerCase()],
  );
  return row.id;
}

/**
 * Asks the Stripe stand-in to do what Stripe does on its own (end a trial, fail a renewal…); it answers once the web
 * app's webhook has answered every event that caused.
 */
export async function stripeDoes(subscriptionId: string, control: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${e2eRun().billing.stripeUrl}/_standin/subscriptions/${subscriptionId}/${control}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const answer = (await response.json()) as { deliveries: { status: number | null; type: string }[] };
  for (const delivery of answer.deliveries)
    expect(delivery, "the webhook accepted the event").toMatchObject({ status: 200 });
}

/** Sends USDC on "Base" to `to` through the CDP stand-in, which delivers CDP's signed webhook to the web app. */
export async function sendUsdc(to: string, baseUnits: bigint): Promise<void> {
  const response = await fetch(`${e2eRun().billing.cdpOrigin}/_standin/transfer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ to, value: baseUnits.toString() }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(((await response.json()) as { status: number }).status, "the webhook accepted the transfer").toBe(200);
}
