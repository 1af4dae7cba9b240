import { e2eRun } from "../testing/env.ts";
import {
  bearer,
  createApiKey,
  createSignedInUser,
  expect,
  getJson,
  newUser,
  openLatestEmail,
  randomIp,
  signIn,
  signUp,
  strongPassword,
  submitSignUp,
  test,
  verifyEmail,
} from "./support/accounts.ts";

/**
 * The accounts issue's "done when", in real Chromium against the real web app, PostgreSQL and Redis: sign up (the
 * ALTCHA proof of work solved by the browser), verify from the outbox, sign in, create and use an API key over plain
 * HTTP, revoke it, sessions and log out everywhere, and an admin promoting a user with the audit log showing it.
 */

test("sign up (proof of work in the browser), verify from the outbox, sign in, use an API key, revoke it", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const user = newUser("done-when");

  // The sign-up request carries a payload the widget solved in this browser.
  const signUpRequest = page.waitForRequest(
    (req) => req.url().endsWith("/api/auth/sign-up/email") && req.method() === "POST",
  );
  await submitSignUp(page, user);
  const payload = (await signUpRequest).headers()["x-bot-check"];
  expect(payload, "the sign-up carried the ALTCHA payload").toBeTruthy();
  const solved = JSON.parse(Buffer.from(payload ?? "", "base64").toString("utf8")) as {
    solution?: { counter?: unknown };
  };
  expect(typeof solved.solution?.counter).toBe("number");
  await expect(page.getByTestId("sign-up-done")).toContainText("Check your email", { timeout: 30_000 });

  // Not signed in before verifying.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings$/);

  await verifyEmail(page, user.email);
  await signIn(page, user);

  const key = await createApiKey(page, "e2e script", ["agents:read", "billing:read"]);
  const row = page.locator('[data-testid="api-key-row"][data-key-name="e2e script"]');
  await expect(row).toBeVisible();
  const shown = (await row.getByTestId("api-key-prefix").innerText()).replace(/…$/, "");
  expect(shown.length).toBeGreaterThanOrEqual(4);
  expect(shown.length).toBeLessThan(key.length / 2);
  expect(key.startsWith(shown)).toBe(true);
  // Shown once: a reload no longer has the raw key anywhere on the page.
  await page.reload();
  await expect(page.getByTestId("new-api-key-value")).toHaveCount(0);
  expect(await page.content()).not.toContain(key);

  // Plain HTTP with the key, as curl would (no cookies in this request context).
  const me = await getJson(request, "/api/v1/me", bearer(key));
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({
    user: { email: user.email, name: user.name, role: "user", emailVerified: true },
    auth: { method: "api_key", scopes: expect.arrayContaining(["agents:read", "billing:read"]) as unknown },
  });
  const subscription = await getJson(request, "/api/v1/billing/subscription", bearer(key));
  expect(subscription.status).toBe(200);
  expect(subscription.body).toEqual({
    plan: null,
    subscriptionStatus: "none",
    entitled: false,
    source: null,
    trialEnd: null,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    graceEndsAt: null,
    agentsSuspendedAt: null,
  });

  // Last used shows up in the list.
  await page.reload();
  await expect(row.getByTestId("api-key-last-used")).not.toHaveText("Never");

  await row.getByRole("button", { name: "Revoke e2e script" }).click();
  await expect(row).toHaveCount(0);

  for (const path of ["/api/v1/me", "/api/v1/billing/subscription"]) {
    const after = await getJson(request, path, bearer(key));
    expect(after.status, path).toBe(401);
    expect(after.body).toMatchObject({ error: { code: "unauthorized" } });
  }
});

test("sessions: two browsers see each other, log out everywhere signs both out", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const user = await createSignedInUser(page, "sessions");

  const other = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomIp() } });
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, user);

    await page.goto("/settings");
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(2);
    await expect(page.locator('[data-testid="session-row"][data-current="true"]')).toHaveCount(1);
    await expect(rows.first()).toContainText("Chrome");

    await page.getByTestId("log-out-everywhere").click();
    await expect(page).toHaveURL(/\/sign-in/);

    await otherPage.goto("/settings");
    await expect(otherPage).toHaveURL(/\/sign-in/);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/sign-in/);
  } finally {
    await other.close();
  }
});

test("an admin promotes a user, and the audit log shows the role change; disabling ends the user's sessions", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const { adminEmail } = e2eRun();

  const userContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomIp() } });
  try {
    const userPage = await userContext.newPage();
    const promoted = await createSignedInUser(userPage, "promoted");

    await createSignedInUser(page, "admin", adminEmail);
    await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
    // The promoted user is not an admin yet: no admin link, and the admin pages are a 404.
    await userPage.goto("/settings");
    await expect(userPage.getByRole("link", { name: "Admin" })).toHaveCount(0);

    await page.goto(`/admin/users?q=${encodeURIComponent(promoted.email)}`);
    const row = page.locator(`[data-testid="admin-user-row"][data-email="${promoted.email}"]`);
    await expect(row).toBeVisible();
    await row.getByLabel(`Role of ${promoted.email}`).selectOption("admin");
    await row.getByRole("button", { name: "Change role" }).click();
    await expect(row.getByTestId("action-message")).toHaveText(`${promoted.email} is now an admin.`);
    await expect(row.getByLabel(`Role of ${promoted.email}`)).toHaveValue("admin");
    await page.reload();
    await expect(row.getByLabel(`Role of ${promoted.email}`)).toHaveValue("admin");

    // The role applies at once to the user's existing session.
    await userPage.goto("/admin/users");
    await expect(userPage.getByTestId("admin-users")).toBeVisible();

    await page.goto("/admin/audit");
    await page.getByLabel("Action").fill("admin.role.changed");
    await page.getByLabel("Actor email").fill(adminEmail);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/action=admin.role.changed/);
    const events = page.locator('[data-testid="audit-row"][data-action="admin.role.changed"]');
    await expect(events).toHaveCount(1);
    await expect(events.first()).toContainText(adminEmail);
    await expect(events.first()).toContainText("to: admin");

    // Disabling the account ends its sessions at once; enabling lets the person sign in again.
    await page.goto(`/admin/users?q=${encodeURIComponent(promoted.email)}`);
    await row.getByRole("button", { name: `Disable ${promoted.email}` }).click();
    await expect(row.getByTestId("action-message")).toContainText("disabled");
    await expect(row).toContainText("Disabled");
    await userPage.goto("/settings");
    await expect(userPage).toHaveURL(/\/sign-in/);

    await row.getByRole("button", { name: `Enable ${promoted.email}` }).click();
    await expect(row).toContainText("Active");
    await signIn(userPage, promoted);
  } finally {
    await userContext.close();
  }
});

test("a weak password is refused with the message next to the password field", async ({ page }) => {
  await submitSignUp(page, { ...newUser("weak"), password: "password123" });
  const error = page.getByTestId("password-error");
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).toContainText(/guess|characters/i);
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("sign-up-done")).toHaveCount(0);
});

test("signing up with a taken email gives the same neutral answer", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const first = newUser("taken");
  await signUp(page, first);

  const second = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomIp() } });
  try {
    const secondPage = await second.newPage();
    await signUp(secondPage, { ...newUser("taken-again"), email: first.email });
    await expect(secondPage.getByTestId("sign-up-done")).toContainText(first.email);
  } finally {
    await second.close();
  }
});

test("pages need a session: settings redirects to sign-in; admin pages are a 404 for others", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  for (const path of ["/settings", "/settings/audit"]) {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(path)}$`));
  }
  expect((await request.get("/admin/users", { maxRedirects: 0 })).status()).toBe(404);

  await createSignedInUser(page, "not-admin");
  for (const path of ["/admin/users", "/admin/audit"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  await page.goto("/settings/audit");
  await expect(page.locator('[data-testid="audit-row"][data-action="auth.login.succeeded"]').first()).toBeVisible();
});

test("password reset by emailed link: works once, signs out every session, and the old password stops working", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const user = await createSignedInUser(page, "reset");

  const stranger = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomIp() } });
  try {
    const other = await stranger.newPage();
    await other.goto("/forgot-password");
    await other.getByLabel("Email").fill(user.email);
    await other.getByRole("button", { name: "Send reset link" }).click();
    await expect(other.getByTestId("forgot-password-done")).toBeVisible();

    const links = await openLatestEmail(other, user.email, "password_reset");
    const link = links.find((href) => href.includes("/reset-password"));
    expect(link).toBeDefined();

    await other.goto(link ?? "");
    await other.getByLabel("New password", { exact: true }).fill("short");
    await other.getByLabel("Repeat the new password").fill("short");
    await other.getByRole("button", { name: "Set new password" }).click();
    await expect(other.getByTestId("newPassword-error")).toContainText(/characters/);

    const newPassword = strongPassword();
    await other.getByLabel("New password", { exact: true }).fill(newPassword);
    await other.getByLabel("Repeat the new password").fill(newPassword);
    await other.getByRole("button", { name: "Set new password" }).click();
    await expect(other.getByTestId("reset-password-done")).toBeVisible();

    // The link worked once.
    await other.goto(link ?? "");
    const another = strongPassword();
    await other.getByLabel("New password", { exact: true }).fill(another);
    await other.getByLabel("Repeat the new password").fill(another);
    await other.getByRole("button", { name: "Set new password" }).click();
    await expect(other.getByTestId("form-error")).toContainText(/invalid, expired or already used/);

    // The session from before the reset is gone; the old password no longer works, the new one does.
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByTestId("sign-in-submit").click();
    await expect(page.getByTestId("form-error")).toBeVisible();
    await signIn(page, { email: user.email, password: newPassword });
  } finally {
    await stranger.close();
  }
});

test("a verification link works once", async ({ page }) => {
  test.setTimeout(90_000);
  const user = newUser("verify-once");
  await signUp(page, user);
  const links = await openLatestEmail(page, user.email, "verification");
  const link = links.find((href) => href.includes("verify-email")) ?? "";
  await page.goto(link);
  await expect(page.getByTestId("verify-email-ok")).toBeVisible();
  await page.goto(link);
  await expect(page.getByTestId("verify-email-failed")).toBeVisible();
});

test("repeated wrong passwords are rate limited with a clear message", async ({ page }) => {
  test.setTimeout(90_000);
  const user = await createSignedInUser(page, "brute");
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.getByLabel("Password").fill(`wrong-${attempt}-${user.password}`);
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.url().endsWith("/api/auth/sign-in/email")),
      page.getByTestId("sign-in-submit").click(),
    ]);
    statuses.push(response.status());
    if (response.status() === 429) expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  }
  // Five wrong passwords in a row lock the address for a while (whatever IP the attempts come from).
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  await expect(page.getByTestId("form-error")).toContainText(/Too many attempts/);
});
