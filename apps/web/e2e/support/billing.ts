import { expect } from "@playwright/test";
import pg from "pg";
import { e2eRun } from "../../testing/env.ts";

/** Runs one query against this run's database and answers its rows. */
async function queryRows<T extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eRun().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs one query against this run's database (to find what the app stored: a subscription id, an invoice). */
export async function queryOne<T extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<T> {
  const rows = await queryRows<T>(sql, params);
  expect(rows.length, `one row for ${sql}`).toBeGreaterThan(0);
  return rows[0]!;
}

/** The user's card subscription id, once the backend applied the Stripe events that stored it. */
export async function subscriptionIdOf(email: string): Promise<string> {
  const sql = "SELECT s.id FROM stripe_subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = $1";
  let id = "";
  await expect
    .poll(
      async () => {
        id = (await queryRows<{ id: string }>(sql, [email.toLowerCase()]))[0]?.id ?? "";
        return id;
      },
      { message: `a stored Stripe subscription for ${email}` },
    )
    .not.toBe("");
  return id;
}

/**
 * Waits until the backend's billing worker applied these Stripe events (the webhook route only records them and
 * answers; the worker applies them moments later), so a page loaded afterwards shows their effect.
 */
export async function waitForStripeEventsApplied(eventIds: readonly string[]): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          await queryRows<{ pending: number }>(
            `SELECT count(*)::int AS pending FROM billing_webhook_events
             WHERE provider = 'stripe' AND event_id = ANY($1) AND processed_at IS NULL`,
            [eventIds],
          )
        )[0]?.pending,
      { message: "Stripe events applied by the billing worker" },
    )
    .toBe(0);
}

/**
 * Asks the Stripe stand-in to do what Stripe does on its own (end a trial, fail a renewal…); the stand-in answers once
 * the web app's webhook has answered every event that caused, and this returns once the backend applied them.
 */
export async function stripeDoes(subscriptionId: string, control: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${e2eRun().billing.stripeUrl}/_standin/subscriptions/${subscriptionId}/${control}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const answer = (await response.json()) as {
    events: { id: string }[];
    deliveries: { status: number | null; type: string }[];
  };
  for (const delivery of answer.deliveries)
    expect(delivery, "the webhook accepted the event").toMatchObject({ status: 200 });
  await waitForStripeEventsApplied(answer.events.map((event) => event.id));
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
