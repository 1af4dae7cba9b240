import { randomUUID } from "node:crypto";
import { bearer, createApiKey, createSignedInUser, expect, randomIp, test } from "./support/accounts.ts";
import { agentName, waitForStatus } from "./support/agents.ts";
import { queryOne, sendUsdc, stripeDoes, subscriptionIdOf } from "./support/billing.ts";
import type { Page } from "@playwright/test";

/**
 * Billing in Chromium against the payment providers' stand-ins (packages/billing/src/testing): the web app's real
 * Stripe SDK creates the Checkout Session on the Stripe stand-in, the browser pays on its hosted page, the stand-in
 * delivers the signed events to /api/webhooks/stripe before sending the browser back; USDC is "sent" through the CDP
 * stand-in, which delivers CDP's signed webhook to /api/webhooks/cdp.
 */

async function checkout(page: Page, planId: string) {
  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-plan")).toHaveText("No plan");
  await page
    .getByTestId(`choose-${planId}`)
    .getByRole("button", { name: /by card/ })
    .click();
  // Stripe's hosted Checkout page (the stand-in's), with the plan's price and the trial.
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  await expect(page.getByText("7 days free")).toBeVisible();
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page).toHaveURL(/\/settings\/billing\?checkout=success/);
}

test("public pricing comes from the plans table and says how this installation takes payment", async ({ page }) => {
  await page.goto("/pricing");
  await expect(page.getByTestId("pricing-solo").getByTestId("pricing-month")).toHaveText("$19 / month");
  await expect(page.getByTestId("pricing-network").getByTestId("pricing-year")).toHaveText("or $3,990 / year");
  await expect(page.getByTestId("pricing-payment")).toContainText("7-day free trial");
  await expect(page.getByTestId("pricing-payment")).toContainText("In USDC on Base");
});

test("choose a plan, pay on Checkout, the plan is active, and agents are limited to what it allows", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const user = await createSignedInUser(page, "billing-card");
  await checkout(page, "solo");
  await expect(page.getByTestId("checkout-success")).toBeVisible();
  await expect(page.getByTestId("billing-plan")).toHaveText("Solo");
  await expect(page.getByTestId("billing-status")).toHaveText("Trial");
  await expect(page.getByTestId("billing-trial-end")).toContainText("UTC");
  await expect(page.getByTestId("billing-events")).toContainText("Card checkout completed");

  // The trial ends and the first invoice is paid: active, with the next charge shown.
  await stripeDoes(await subscriptionIdOf(user.email), "end_trial");
  await page.reload();
  await expect(page.getByTestId("billing-status")).toHaveText("Active");
  await expect(page.getByTestId("billing-period-end")).toContainText("UTC");
  await expect(page.getByTestId("billing-events")).toContainText("Card payment of $19.00 received");

  // Solo runs one agent: the first is created, the second is refused with the reason.
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(agentName("solo-one"));
  await page.getByTestId("create-agent-submit").click();
  await expect(page).toHaveURL(/\/agents\/agt_[^/]+$/);
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(agentName("solo-two"));
  await page.getByTestId("create-agent-submit").click();
  await expect(page.getByTestId("form-error")).toContainText("Your Solo plan allows 1 agent");
  await expect(page).toHaveURL(/\/agents\/new$/);
});

test("after invoice.payment_failed the billing page shows the grace period and how to fix it", async ({ page }) => {
  test.setTimeout(90_000);
  const user = await createSignedInUser(page, "billing-failed");
  await checkout(page, "collective");
  const subscriptionId = await subscriptionIdOf(user.email);
  await stripeDoes(subscriptionId, "end_trial");
  await stripeDoes(subscriptionId, "fail_payment");
  await page.reload();
  await expect(page.getByTestId("billing-status")).toHaveText("Payment past due");
  const grace = page.getByTestId("billing-grace");
  await expect(grace).toContainText("Your last payment failed");
  await expect(grace).toContainText(/keep running until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await expect(page.getByTestId("billing-events")).toContainText("Card payment of $49.00 failed");
  // The portal is where the card is fixed; it opens on Stripe's (the stand-in's) page.
  await page.getByRole("button", { name: "Manage card billing" }).click();
  await expect(page).toHaveURL(/\/portal\/bps_/);
  await expect(page.getByRole("button", { name: "Cancel subscription" })).toBeVisible();
  // Stripe's retry succeeds: active again, and the warning is gone.
  await stripeDoes(subscriptionId, "pay_open_invoice");
  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-status")).toHaveText("Active");
  await expect(page.getByTestId("billing-grace")).toHaveCount(0);
});

test("pay a month in USDC: the invoice's address, QR code and amount, and its status turns paid live", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await createSignedInUser(page, "billing-usdc");
  await page.goto("/settings/billing");
  await page
    .getByTestId("choose-collective")
    .getByRole("button", { name: /in USDC/ })
    .click();
  await expect(page).toHaveURL(/\/settings\/billing\/usdc\/uin_/);
  await expect(page.getByTestId("usdc-amount")).toHaveText("49");
  await expect(page.getByTestId("usdc-qr").locator("svg")).toBeVisible();
  const address = (await page.getByTestId("usdc-address").textContent()) ?? "";
  expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  await expect(page.getByTestId("usdc-status")).toHaveText("Waiting for payment");

  // Short by 9.5 USDC: still open, saying what is missing (no reload: the page polls).
  await sendUsdc(address, 39_500_000n);
  await expect(page.getByTestId("usdc-missing")).toContainText("Send 9.5 USDC more");
  await sendUsdc(address, 9_500_000n);
  await expect(page.getByTestId("usdc-status")).toHaveText("Paid");
  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-plan")).toHaveText("Collective");
  await expect(page.getByTestId("billing-status")).toHaveText("Active");
  await expect(page.getByTestId("billing-source")).toHaveText("USDC on Base");
});

test("a suspended account cannot start or create agents: 402 with a readable reason, in the UI and the API", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const user = await createSignedInUser(page, "billing-suspended");
  // Without a plan, creating is refused with what to do.
  const key = await createApiKey(page, "billing", ["agents:read", "agents:write", "billing:read"]);
  const refused = await request.post("/api/v1/agents", {
    headers: { ...bearer(key), "idempotency-key": `e2e-${randomUUID()}` },
    data: { name: agentName("no-plan") },
  });
  expect(refused.status()).toBe(402);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/choose a plan/);

  // With a USDC month paid, an agent runs; then its period is made to end (as if a month passed unpaid), and the
  // backend's billing sweep suspends it.
  await page.goto("/settings/billing");
  await page
    .getByTestId("choose-solo")
    .getByRole("button", { name: /in USDC/ })
    .click();
  const address = (await page.getByTestId("usdc-address").textContent()) ?? "";
  await sendUsdc(address, 19_000_000n);
  await expect(page.getByTestId("usdc-status")).toHaveText("Paid");
  const created = await request.post("/api/v1/agents", {
    headers: { ...bearer(key), "idempotency-key": `e2e-${randomUUID()}` },
    data: { name: agentName("suspend-me") },
  });
  expect(created.status()).toBe(202);
  const agentId = ((await created.json()) as { agent: { id: string } }).agent.id;
  await waitForStatus(request, key, agentId, "running");
  await queryOne(
    `UPDATE usdc_invoices SET period_start = now() - interval '31 days', period_end = now() - interval '1 second'
     WHERE user_id = (SELECT id FROM users WHERE email = $1) RETURNING id`,
    [user.email.toLowerCase()],
  );
  await waitForStatus(request, key, agentId, "stopped", 60_000);

  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-suspended")).toContainText("Your agents are suspended");
  await expect(page.getByTestId("billing-events")).toContainText("Agents suspended");
  const start = await request.post(`/api/v1/agents/${agentId}/start`, { headers: bearer(key) });
  expect(start.status()).toBe(402);
  expect(((await start.json()) as { error: { message: string } }).error.message).toMatch(
    /Billing suspended your agents/,
  );
  await page.goto(`/agents/${agentId}`);
  await page.getByTestId("agent-start").click();
  await expect(page.getByTestId("agent-action-error")).toContainText("Billing suspended your agents");

  // Paying again resumes it automatically.
  await page.goto("/settings/billing");
  await page
    .getByTestId("choose-solo")
    .getByRole("button", { name: /in USDC/ })
    .click();
  await sendUsdc((await page.getByTestId("usdc-address").textContent()) ?? "", 19_000_000n);
  await expect(page.getByTestId("usdc-status")).toHaveText("Paid");
  await waitForStatus(request, key, agentId, "running", 60_000);
});

test("an admin grants a plan with a reason (audited), the user sees it, and revoking takes it away", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const customerContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomIp() } });
  try {
    const customerPage = await customerContext.newPage();
    const customer = await createSignedInUser(customerPage, "billing-granted");
    const admin = await createSignedInUser(page, "billing-admin");
    // Promoted in the database: the admin check reads the role fresh on every request.
    await queryOne("UPDATE users SET role = 'admin' WHERE email = $1 RETURNING id", [admin.email.toLowerCase()]);

    await page.goto("/admin/billing");
    const form = page.getByTestId("grant-form");
    await form.getByLabel("User email").fill(customer.email);
    await form.getByLabel("Plan").selectOption("label");
    await form.getByLabel(/^Days/).fill("30");
    await form.getByLabel("Reason").fill("Partner programme");
    await form.getByRole("button", { name: "Grant" }).click();
    await expect(form.getByTestId("action-message")).toHaveText(`Granted label to ${customer.email}.`);
    const grants = page.getByTestId("plan-grants");
    await expect(grants).toContainText(customer.email);
    await expect(grants).toContainText("Partner programme");

    await customerPage.goto("/settings/billing");
    await expect(customerPage.getByTestId("billing-plan")).toHaveText("Label");
    await expect(customerPage.getByTestId("billing-status")).toHaveText("Active");
    await expect(customerPage.getByTestId("billing-source")).toHaveText("Granted by an admin");
    await expect(customerPage.getByTestId("billing-events")).toContainText("An admin granted Label");

    await page.goto("/admin/audit?action=admin.billing.plan_granted");
    const events = page.locator('[data-testid="audit-row"][data-action="admin.billing.plan_granted"]');
    await expect(events.filter({ hasText: admin.email })).toHaveCount(1);

    await page.goto("/admin/billing");
    await page
      .getByTestId("plan-grants")
      .getByRole("row", { name: new RegExp(customer.email) })
      .getByRole("button", { name: "Revoke" })
      .click();
    await expect(page.getByTestId("plan-grants").getByText(customer.email)).toHaveCount(0);
    await customerPage.reload();
    await expect(customerPage.getByTestId("billing-plan")).toHaveText("No plan");
  } finally {
    await customerContext.close();
  }
});

test("while Stripe's events wait to be applied the billing page says so, and updates itself once they are", async ({
  page,
}) => {
  const user = await createSignedInUser(page, "billing-sync");
  const { id: userId } = await queryOne<{ id: string }>("SELECT id FROM users WHERE email = $1", [
    user.email.toLowerCase(),
  ]);
  const customerId = `cus_e2e${randomUUID().replaceAll("-", "")}`;
  const eventId = `evt_e2e${randomUUID().replaceAll("-", "")}`;
  await queryOne(
    "INSERT INTO billing_accounts (user_id, stripe_customer_id, updated_at) VALUES ($1, $2, now()) RETURNING user_id",
    [userId, customerId],
  );
  // An event the webhook accepted about this customer, whose next attempt is an hour away (as after Stripe could not
  // be reached): the billing worker leaves it pending.
  const event = {
    id: eventId,
    object: "event",
    type: "customer.subscription.updated",
    data: { object: { id: "sub_e2e_pending", object: "subscription", customer: customerId } },
  };
  await queryOne(
    `INSERT INTO billing_webhook_events (provider, event_id, type, payload, attempts, next_attempt_at, last_error)
     VALUES ('stripe', $1, $2, $3::jsonb, 1, now() + interval '1 hour', 'test: Stripe unreachable') RETURNING event_id`,
    [eventId, event.type, JSON.stringify(event)],
  );
  await page.goto("/settings/billing");
  await expect(page.getByTestId("stripe-sync")).toContainText("being applied");
  await expect(page.getByTestId("stripe-sync-waiting")).toBeVisible();

  await queryOne(
    `UPDATE billing_webhook_events SET processed_at = now(), outcome = 'ignored', payload = NULL
     WHERE provider = 'stripe' AND event_id = $1 RETURNING event_id`,
    [eventId],
  );
  // No reload: the page refreshes itself until nothing is pending.
  await expect(page.getByTestId("stripe-sync")).toHaveCount(0);
});
