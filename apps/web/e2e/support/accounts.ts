import { randomBytes, randomInt } from "node:crypto";
import { expect, test as base } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";

/**
 * Browser-test helpers for the account flows. Every test gets its own client IP (sent as x-forwarded-for, which the
 * test web server trusts) so per-IP rate limits apply per test, as they would per person.
 */
export const test = base.extend({
  // Playwright reads a fixture's dependencies from its first parameter's destructuring: none here.
  // eslint-disable-next-line no-empty-pattern
  extraHTTPHeaders: async ({}, provide) => {
    await provide({ "x-forwarded-for": randomIp() });
  },
});
export { expect };

export function randomIp(): string {
  return `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${randomBytes(3).toString("hex")}@e2e.agentbot.test`;
}

/** A password the policy accepts: long and random. */
export function strongPassword(): string {
  return `${randomBytes(12).toString("base64url")}-Lantern-Quarry`;
}

export interface TestUser {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

export function newUser(tag: string, email = uniqueEmail(tag)): TestUser {
  return { name: `E2E ${tag}`, email, password: strongPassword() };
}

/** Fills and sends the sign-up form; the ALTCHA widget solves its proof of work in the browser meanwhile. */
export async function submitSignUp(page: Page, user: TestUser): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByTestId("sign-up-submit").click();
}

export async function signUp(page: Page, user: TestUser): Promise<void> {
  await submitSignUp(page, user);
  await expect(page.getByTestId("sign-up-done")).toContainText("Check your email", { timeout: 30_000 });
}

/** The newest email of `template` to `email` in /dev/outbox, opened; answers its links. */
export async function openLatestEmail(page: Page, email: string, template: string): Promise<string[]> {
  await expect(async () => {
    await page.goto(`/dev/outbox?to=${encodeURIComponent(email)}`);
    await expect(page.locator(`[data-testid="outbox-row"][data-template="${template}"]`).first()).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
  await page.locator(`[data-testid="outbox-row"][data-template="${template}"]`).first().getByRole("link").click();
  await expect(page.getByTestId("outbox-to")).toHaveText(email);
  return page
    .getByTestId("outbox-links")
    .getByRole("link")
    .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
}

/** Follows the verification link from the outbox (as the person would from their inbox). */
export async function verifyEmail(page: Page, email: string): Promise<void> {
  const links = await openLatestEmail(page, email, "verification");
  const link = links.find((href) => href.includes("verify-email"));
  expect(link, "the verification email links to verify-email").toBeDefined();
  await page.goto(link ?? "");
  await expect(page.getByTestId("verify-email-ok")).toBeVisible();
}

export async function signIn(page: Page, user: Pick<TestUser, "email" | "password">): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
}

/** Signs up, verifies and signs in: a ready account, signed in on `page`. */
export async function createSignedInUser(page: Page, tag: string, email?: string): Promise<TestUser> {
  const user = newUser(tag, email);
  await signUp(page, user);
  await verifyEmail(page, user.email);
  await signIn(page, user);
  return user;
}

/** Creates an API key in /settings and answers the raw key, shown once. */
export async function createApiKey(page: Page, name: string, scopes: readonly string[]): Promise<string> {
  await page.goto("/settings");
  const form = page.getByTestId("create-api-key-form");
  await form.getByLabel("Name").fill(name);
  for (const scope of scopes) await form.getByRole("checkbox", { name: scope, exact: true }).check();
  await form.getByTestId("create-api-key").click();
  const value = page.getByTestId("new-api-key-value");
  await expect(value).toHaveValue(/^agb_/);
  return value.inputValue();
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

export async function getJson(request: APIRequestContext, path: string, headers: Record<string, string>) {
  const response = await request.get(path, { headers });
  return { status: response.status(), headers: response.headers(), body: (await response.json()) as unknown };
}
