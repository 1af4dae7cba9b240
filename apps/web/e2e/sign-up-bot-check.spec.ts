import type { Page, Request } from "@playwright/test";
import { expect, newUser, test } from "./support/accounts.ts";
import type { TestUser } from "./support/accounts.ts";

/**
 * The sign-up form's bot check when things go wrong, in Chromium with the real widget and the real server check: a
 * submit that lands before the widget's script has loaded, a solution the server refuses, a challenge that cannot be
 * fetched. Each time the form must stay filled in and usable, and the next attempt must work on a fresh challenge.
 */

async function fillSignUp(page: Page, user: TestUser): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
}

async function expectStillFilledIn(page: Page, user: TestUser): Promise<void> {
  await expect(page.getByLabel("Name")).toHaveValue(user.name);
  await expect(page.getByLabel("Email")).toHaveValue(user.email);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(user.password);
  await expect(page.getByTestId("sign-up-submit")).toBeEnabled();
  await expect(page.getByTestId("sign-up-submit")).toHaveText("Create account");
}

const isSignUp = (request: Request) => request.url().endsWith("/api/auth/sign-up/email") && request.method() === "POST";
const isChallenge = (request: Request) => new URL(request.url()).pathname === "/api/bot-check/challenge";

function challengeNonce(payload: string | undefined): string {
  const decoded = JSON.parse(Buffer.from(payload ?? "", "base64").toString("utf8")) as {
    challenge: { parameters: { nonce: string } };
  };
  return decoded.challenge.parameters.nonce;
}

test("a submit that lands before the bot check's script has loaded waits for it, then signs up", async ({ page }) => {
  test.setTimeout(90_000);
  // Hold back the widget's script (the chunk that defines <altcha-widget>) until the form has been submitted.
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  await page.route("**/_next/static/chunks/**", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes('customElements.define("altcha-widget"')) {
      held = true;
      await released;
    }
    await route.fulfill({ response, body });
  });
  const user = newUser("bot-check-late");
  await fillSignUp(page, user);
  await expect.poll(() => held, { message: "the widget's script was requested and held" }).toBe(true);

  const signUp = page.waitForRequest(isSignUp);
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("sign-up-submit")).toHaveText("Creating your account…");
  release();
  expect((await signUp).headers()["x-bot-check"], "the sign-up carried a solved payload").toBeTruthy();
  await expect(page.getByTestId("sign-up-done")).toContainText("Check your email", { timeout: 30_000 });
});

test("a solution the server refuses keeps the form filled in; the next submit solves a fresh challenge", async ({
  page,
}) => {
  test.setTimeout(90_000);
  // The first sign-up request reaches the server with its derived key altered: not a solution of its challenge.
  let tamper = true;
  await page.route("**/api/auth/sign-up/email", async (route) => {
    if (!tamper) return route.continue();
    tamper = false;
    const headers = route.request().headers();
    const decoded = JSON.parse(Buffer.from(headers["x-bot-check"] ?? "", "base64").toString("utf8")) as {
      solution: { derivedKey: string };
    };
    const key = decoded.solution.derivedKey;
    decoded.solution.derivedKey = `${key.startsWith("0") ? "1" : "0"}${key.slice(1)}`;
    await route.continue({
      headers: { ...headers, "x-bot-check": Buffer.from(JSON.stringify(decoded)).toString("base64") },
    });
  });
  const user = newUser("bot-check-refused");
  await fillSignUp(page, user);

  const refused = page.waitForResponse((response) => isSignUp(response.request()));
  await page.getByTestId("sign-up-submit").click();
  expect((await refused).status()).toBe(403);
  await expect(page.getByTestId("altcha-error")).toContainText("bot check did not pass");
  await expectStillFilledIn(page, user);
  const firstNonce = challengeNonce((await refused).request().headers()["x-bot-check"]);

  const accepted = page.waitForRequest(isSignUp);
  await page.getByTestId("sign-up-submit").click();
  const secondNonce = challengeNonce((await accepted).headers()["x-bot-check"]);
  expect(secondNonce, "the second attempt solved a new challenge").not.toBe(firstNonce);
  await expect(page.getByTestId("sign-up-done")).toContainText("Check your email", { timeout: 30_000 });
});

test("a bot check that cannot get a challenge says so, keeps the form, and 'Try again' recovers", async ({ page }) => {
  test.setTimeout(90_000);
  let challengesDown = true;
  let challengeRequests = 0;
  page.on("request", (request) => {
    if (isChallenge(request)) challengeRequests++;
  });
  await page.route("**/api/bot-check/challenge", (route) =>
    challengesDown ? route.abort("connectionrefused") : route.continue(),
  );
  const user = newUser("bot-check-down");
  await fillSignUp(page, user);
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("altcha-error")).toContainText("could not be completed", { timeout: 30_000 });
  await expectStillFilledIn(page, user);
  expect(challengeRequests).toBeGreaterThan(0);

  challengesDown = false;
  await page.getByTestId("bot-check-retry").click();
  await expect(page.getByTestId("altcha-error")).toHaveCount(0);
  await expect(page.getByTestId("bot-check").locator("altcha-widget")).toHaveAttribute("data-state", "verified", {
    timeout: 30_000,
  });
  const signUp = page.waitForRequest(isSignUp);
  await page.getByTestId("sign-up-submit").click();
  expect((await signUp).headers()["x-bot-check"]).toBeTruthy();
  await expect(page.getByTestId("sign-up-done")).toContainText("Check your email", { timeout: 30_000 });
});
