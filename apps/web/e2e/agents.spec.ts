import { e2eRun } from "../testing/env.ts";
import { createSignedInUser, expect, test } from "./support/accounts.ts";
import { agentName, subscribe } from "./support/agents.ts";

/**
 * The agents dashboard in Chromium against the real backend, which runs agents on the local engine with the fake
 * OpenClaw runtime (real probes, a chat stream that answers "echo: <message>" word by word, log lines on disk). The
 * fake boots after a delay (AGENTBOT_FAKE_RUNTIME_BOOT_DELAY_MS in playwright.config.ts), so provisioning is visible.
 */

test("signed out, the agents pages send you to sign in", async ({ page }) => {
  await page.goto("/agents/new");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fagents%2Fnew$/);
});

test("create an agent from the form, watch it provision live, chat, read logs, stop, start and delete it", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const user = await createSignedInUser(page, "agents-ui");
  await subscribe(user.email, "collective");
  const origin = new URL(e2eRun().webUrl).origin;

  await page.getByTestId("nav-agents").click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByTestId("no-agents")).toBeVisible();
  await page.getByTestId("new-agent").click();
  await expect(page).toHaveURL(/\/agents\/new$/);

  // The server's field errors appear next to their fields; the API key field exists only for your own provider.
  await expect(page.getByLabel("Provider API key")).toHaveCount(0);
  await page.getByLabel("Name").fill("Not A Valid Name");
  await page.getByLabel("Model provider").selectOption("openai");
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("gpt-4.1-mini");
  await expect(page.getByLabel("Provider API key")).toBeVisible();
  await page.getByTestId("create-agent-submit").click();
  await expect(page.getByTestId("name-error")).toContainText("lowercase letters");
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  // The rule across fields (a key for your own provider) is checked once each field is valid.
  const name = agentName("ui");
  await page.getByLabel("Name").fill(name);
  await page.getByTestId("create-agent-submit").click();
  await expect(page.getByTestId("providerApiKey-error")).toContainText("API key is required");
  await expect(page.getByTestId("name-error")).toHaveCount(0);

  await page.getByLabel("Model provider").selectOption("platform");
  await expect(page.getByLabel("Provider API key")).toHaveCount(0);
  await page.getByTestId("create-agent-submit").click();
  await expect(page).toHaveURL(/\/agents\/agt_[^/]+$/);
  const agentId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  // Provisioning, then running, with the timeline growing as steps happen: no reload in between.
  const status = page.getByTestId("agent-status");
  await expect(status).toHaveAttribute("data-status", /^(queued|provisioning)$/);
  const stepsBefore = await page.getByTestId("timeline-step").count();
  await expect(status).toHaveAttribute("data-status", "running", { timeout: 90_000 });
  await expect(page.locator('[data-testid="timeline-step"][data-type="health.live"]')).toBeVisible();
  expect(await page.getByTestId("timeline-step").count()).toBeGreaterThan(stepsBefore);
  await expect(page.getByTestId("timeline-duration").first()).toContainText(/took \d/);

  // Chat: the reply streams in and ends as the runtime's whole answer.
  await page.getByLabel("Message").fill("hello from the dashboard");
  await page.getByTestId("chat-send").click();
  await expect(page.getByTestId("chat-you").last()).toHaveText(/hello from the dashboard/);
  const reply = page.getByTestId("chat-reply").last();
  await expect(reply).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  await expect(reply).toContainText("echo: hello from the dashboard");

  // Logs: follow them live, then see them as recent lines after a reload.
  await page.getByTestId("logs-follow").click();
  await expect(page.getByTestId("logs-follow")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("logs-state")).toHaveText("Following new lines.");
  await page.getByLabel("Message").fill("one more");
  await page.getByTestId("chat-send").click();
  await expect(page.getByTestId("chat-reply").last()).toContainText("echo: one more", { timeout: 30_000 });
  await expect(page.getByTestId("agent-logs")).toContainText("chat completion", { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId("log-line").first()).toBeVisible();
  await expect(page.getByTestId("logs-unavailable")).toHaveCount(0);

  // The Control UI opens in a new tab, through a redirect that carries the token in the fragment only.
  const controlUi = page.getByTestId("open-control-ui");
  await expect(controlUi).toHaveAttribute("target", "_blank");
  await expect(controlUi).toHaveAttribute("rel", /noopener/);
  const redirect = await page.request.get(`/agents/${agentId}/control-ui`, { maxRedirects: 0 });
  expect(redirect.status()).toBe(303);
  expect(redirect.headers()["location"]).toMatch(/^http:\/\/[^#]+\/#token=.+/);

  // Stop and start from the page.
  await page.getByTestId("agent-stop").click();
  await expect(status).toHaveAttribute("data-status", "stopped", { timeout: 60_000 });
  await expect(page.getByTestId("open-control-ui")).toHaveCount(0);
  await expect(page.getByTestId("chat-send")).toBeDisabled();
  await page.getByTestId("agent-start").click();
  await expect(status).toHaveAttribute("data-status", "running", { timeout: 90_000 });

  // The list follows changes live too: a stop sent elsewhere (the API, same session) shows without a reload.
  await page.getByRole("link", { name: "All agents" }).click();
  await expect(page).toHaveURL(/\/agents$/);
  const row = page.locator(`[data-testid="agent-row"][data-agent-id="${agentId}"]`);
  await expect(row.getByTestId("agent-row-status")).toHaveAttribute("data-status", "running");
  const stop = await page.request.post(`/api/v1/agents/${agentId}/stop`, { headers: { origin } });
  expect(stop.status()).toBe(202);
  await expect(row.getByTestId("agent-row-status")).toHaveAttribute("data-status", "stopped", { timeout: 60_000 });

  // Delete, after confirming; back on the list the agent goes away once deleted.
  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${agentId}$`));
  await page.getByTestId("agent-delete").click();
  const dialog = page.getByRole("dialog", { name: `Delete ${name}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Keep it" }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByTestId("agent-delete").click();
  await page.getByTestId("agent-delete-confirm").click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByTestId("no-agents")).toBeVisible({ timeout: 60_000 });
});
