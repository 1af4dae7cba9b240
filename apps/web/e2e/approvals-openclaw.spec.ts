import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { e2eRun } from "../testing/env.ts";
import { fakeModelId } from "../testing/fake-model.ts";
import { bearer, createApiKey, createSignedInUser, expect, test } from "./support/accounts.ts";
import type { TestUser } from "./support/accounts.ts";
import { agentName, collectEvents, subscribe } from "./support/agents.ts";
import { TimelinePrinter, waitForAgent } from "./support/openclaw.ts";

/**
 * Permission gates end to end, on the REAL OpenClaw runtime with the platform's generated config (exec `ask`, fallback
 * deny) and the backend's approver as its operator. The fake model provider turns a chat message `RUN[[<command>]]`
 * into one `exec` tool call and then answers `Command result: <what the tool returned>`, so what the runtime really
 * did (ran it, or refused it) reaches the chat. Decisions are made by a person in the dashboard's approvals page.
 *
 * One agent (policy `balanced`, the default) serves every scenario, in order: approve once → the output is in the
 * chat and the marker file exists; deny → the marker never appears; a Safe command runs on its own (auto-approved,
 * in the history); `ls; rm -rf <dir>` is never auto-approved (Destructive, waits, and is denied); a Destructive
 * command is approved only with the password and the agent's name; approve always fills the agent's allowlist,
 * which can be removed again.
 *
 * Not covered here (backend tests cover them on the same real runtime): a backend restart while a request waits
 * (approvals-runtime.test.ts), expiry and the waiting email (approvals-sweep.test.ts).
 */

test.describe.configure({ mode: "serial", timeout: 8 * 60_000 });

/** A reply through the runtime includes a model call before and after the tool; generous on a loaded machine. */
const CHAT_TIMEOUT_MS = 180_000;

interface ChatEvent {
  readonly type: string;
  readonly reply?: string;
  readonly message?: string;
}

let user: TestUser;
let key: string;
let agentId: string;
let name: string;
let approvals: Page;
const scratch = join(tmpdir(), `agentbot-e2e-approvals-${randomBytes(6).toString("hex")}`);

test.beforeAll(() => mkdirSync(scratch, { recursive: true }));
test.afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  if (agentId !== undefined && key !== undefined) {
    await fetch(new URL(`/api/v1/agents/${agentId}`, e2eRun().openclaw.webUrl), {
      method: "DELETE",
      headers: bearer(key),
    }).catch(() => undefined);
  }
  await approvals?.context().close();
});

/** Sends one chat turn through the public API and resolves with the final reply (after any approval wait). */
async function chat(message: string): Promise<string> {
  const result = await collectEvents<ChatEvent>(
    `/api/v1/agents/${agentId}/chat`,
    { method: "POST", headers: bearer(key), body: { message }, baseUrl: e2eRun().openclaw.webUrl },
    (events) => events.some((event) => event.type === "done" || event.type === "error"),
    CHAT_TIMEOUT_MS,
  );
  const last = result.events.at(-1);
  expect(last, `the chat ended with: ${JSON.stringify(last)}`).toMatchObject({ type: "done" });
  return last?.reply ?? "";
}

/** The waiting request for `command` on the approvals page (it arrives live, without a reload). */
function cardFor(command: string) {
  return approvals
    .getByTestId("approval-card")
    .filter({ has: approvals.getByTestId("approval-command").getByText(command, { exact: true }) });
}

test("set up: a subscribed person with an agent running on the real runtime, and the approvals page open", async ({
  browser,
  request,
}) => {
  const stack = e2eRun().openclaw;
  const context = await browser.newContext({ baseURL: stack.webUrl });
  approvals = await context.newPage();
  user = await createSignedInUser(approvals, "approvals");
  await subscribe(user.email, "solo", stack.databaseUrl);
  key = await createApiKey(approvals, "approvals-e2e", ["agents:read", "agents:write"]);
  name = agentName("gate");
  const response = await request.post("/api/v1/agents", {
    headers: { ...bearer(key), "idempotency-key": `e2e-${randomUUID()}` },
    data: { name, modelProvider: "platform", model: fakeModelId },
  });
  expect(response.status()).toBe(202);
  agentId = ((await response.json()) as { agent: { id: string; execPolicy: string } }).agent.id;
  const started = Date.now();
  const timeline = new TimelinePrinter((line) =>
    console.log(`[approvals e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`),
  );
  await waitForAgent(request, key, agentId, "running", timeline);

  await approvals.goto("/approvals");
  await expect(approvals.getByTestId("approval-live")).toHaveAttribute("data-live", "true");
  await expect(approvals.getByTestId("approval-queue-empty")).toBeVisible();
});

test("approve once: the command runs only after the click, its output reaches the dashboard chat", async () => {
  const marker = join(scratch, "approved-marker");
  const command = `touch ${marker} && echo made-the-marker`;
  const agentPage = await approvals.context().newPage();
  await agentPage.goto(`/agents/${agentId}`);
  await agentPage.getByTestId("chat-input").fill(`Please RUN[[${command}]]`);
  await agentPage.getByTestId("chat-send").click();

  const card = cardFor(command);
  await expect(card).toBeVisible({ timeout: CHAT_TIMEOUT_MS });
  await expect(card.getByTestId("approval-class")).toHaveText("Dangerous");
  await expect(card.getByTestId("approval-countdown")).toContainText(/expires in \d+:\d\d/);
  await expect(approvals.getByTestId("nav-approvals-badge")).toContainText("1");
  // The runtime holds the command until a decision: nothing has run yet.
  expect(existsSync(marker), "the command does not run before a decision").toBe(false);

  await card.getByTestId("approval-approve-once").click();
  await expect(card).toHaveCount(0);
  await expect(approvals.getByTestId("approval-recent-item").filter({ hasText: command })).toContainText("Approved");
  await expect(agentPage.getByTestId("chat-reply").last()).toContainText("made-the-marker", {
    timeout: CHAT_TIMEOUT_MS,
  });
  expect(existsSync(marker), "the approved command ran").toBe(true);
  await expect(approvals.getByTestId("nav-approvals-badge")).toHaveCount(0);
  await agentPage.close();
});

test("deny: the runtime refuses the command and the marker never appears", async () => {
  const marker = join(scratch, "denied-marker");
  const command = `touch ${marker}`;
  const reply = chat(`RUN[[${command}]]`);
  const card = cardFor(command);
  await expect(card).toBeVisible({ timeout: CHAT_TIMEOUT_MS });
  await card.getByTestId("approval-deny").click();
  await expect(card).toHaveCount(0);
  const text = await reply;
  expect(text).toMatch(/Command result: .*(denied|deny|not approved|rejected)/i);
  expect(existsSync(marker), "a denied command never runs").toBe(false);
});

test("a Safe command runs on its own under balanced, and is recorded as auto-approved", async () => {
  const word = `safe-${randomBytes(4).toString("hex")}`;
  const text = await chat(`RUN[[echo ${word}]]`);
  expect(text).toContain(word);
  await approvals.goto("/approvals?status=auto_approved");
  await expect(approvals.getByTestId("approval-history-row").filter({ hasText: `echo ${word}` })).toContainText(
    "Auto-approved",
  );
});

test("`ls; rm -rf <dir>` is never auto-approved: it waits as Destructive, and is denied", async () => {
  const victim = join(scratch, "keep-me");
  mkdirSync(victim, { recursive: true });
  writeFileSync(join(victim, "precious.txt"), "still here");
  const command = `ls; rm -rf ${victim}`;
  await approvals.goto("/approvals");
  const reply = chat(`RUN[[${command}]]`);
  const card = cardFor(command);
  await expect(card).toBeVisible({ timeout: CHAT_TIMEOUT_MS });
  await expect(card.getByTestId("approval-class")).toHaveText("Destructive");
  // No "approve always" for a Destructive command; approving needs the dialog.
  await expect(card.getByTestId("approval-approve-always")).toHaveCount(0);
  await expect(card.getByTestId("approval-approve-once")).toHaveCount(0);
  await card.getByTestId("approval-deny").click();
  await expect(card).toHaveCount(0);
  await reply;
  expect(existsSync(join(victim, "precious.txt")), "the directory survived").toBe(true);
});

test("approving a Destructive command needs the password and the agent's name", async () => {
  const victim = join(scratch, "delete-me");
  mkdirSync(victim, { recursive: true });
  writeFileSync(join(victim, "old.txt"), "to be removed");
  const command = `rm -rf ${victim}`;
  const reply = chat(`RUN[[${command}]]`);
  const card = cardFor(command);
  await expect(card).toBeVisible({ timeout: CHAT_TIMEOUT_MS });
  await card.getByTestId("approval-approve-destructive").click();
  const dialog = approvals.getByRole("dialog");

  await dialog.getByTestId("approval-password").fill("not-my-password-1");
  await dialog.getByTestId("approval-confirm-name").fill(name);
  await dialog.getByTestId("approval-approve-destructive-confirm").click();
  await expect(dialog.getByRole("alert")).toContainText("Password is not right");
  expect(existsSync(victim), "a wrong password approves nothing").toBe(true);

  await dialog.getByTestId("approval-password").fill(user.password);
  await dialog.getByTestId("approval-confirm-name").fill(`${name}-typo`);
  await dialog.getByTestId("approval-approve-destructive-confirm").click();
  await expect(dialog.getByRole("alert")).toContainText("Type the agent's name");

  await dialog.getByTestId("approval-confirm-name").fill(name);
  await dialog.getByTestId("approval-approve-destructive-confirm").click();
  await expect(dialog).toHaveCount(0);
  await expect(card).toHaveCount(0);
  await reply;
  expect(existsSync(victim), "the approved Destructive command ran").toBe(false);
});

test("approve always: the same command then runs without asking, until it is removed from the allowlist", async () => {
  const marker = join(scratch, "always-marker");
  const command = `touch ${marker}`;
  await approvals.goto("/approvals");
  const first = chat(`RUN[[${command}]]`);
  const card = cardFor(command);
  await expect(card).toBeVisible({ timeout: CHAT_TIMEOUT_MS });
  await card.getByTestId("approval-approve-always").click();
  await expect(card).toHaveCount(0);
  await first;
  expect(existsSync(marker)).toBe(true);

  // Asked again: the approver answers from the allowlist; nobody clicks.
  rmSync(marker);
  await chat(`Again: RUN[[${command}]]`);
  expect(existsSync(marker), "the allowlisted command ran without a decision").toBe(true);
  await approvals.goto("/approvals?status=auto_approved");
  await expect(approvals.getByTestId("approval-history-row").filter({ hasText: command })).toContainText(
    "Auto-approved",
  );

  const agentPage = await approvals.context().newPage();
  await agentPage.goto(`/agents/${agentId}`);
  const entry = agentPage.getByTestId("exec-allowlist-entry").filter({ hasText: command });
  await expect(entry).toBeVisible();
  await entry.getByTestId("exec-allowlist-remove").click();
  await expect(entry).toHaveCount(0);
  await expect(agentPage.getByTestId("exec-allowlist-empty")).toBeVisible();
  await agentPage.close();

  // Removed: it asks again.
  rmSync(marker);
  await approvals.goto("/approvals");
  const third = chat(`Once more: RUN[[${command}]]`);
  await expect(card).toBeVisible({ timeout: CHAT_TIMEOUT_MS });
  await card.getByTestId("approval-deny").click();
  await third;
  expect(existsSync(marker), "a command taken off the allowlist waits for a decision again").toBe(false);
});
