import { randomUUID } from "node:crypto";
import { e2eRun } from "../testing/env.ts";
import { bearer, createApiKey, createSignedInUser, expect, getJson, randomIp, test } from "./support/accounts.ts";
import { agentName, collectEvents, subscribe, waitForStatus } from "./support/agents.ts";

/**
 * The public agents API with API keys, against the real backend running agents on the local engine with the fake
 * OpenClaw runtime (it speaks the real probes and the OpenAI-compatible chat stream). Each test deletes what it made.
 */

interface Accepted {
  agent: { id: string; name: string; status: string; modelProvider: string };
  operation: { id: string; kind: string; status: string };
  created: boolean;
}

test("an API key creates an agent idempotently, which then runs, chats in a stream, streams events, and is deleted", async ({
  page,
  request,
}) => {
  test.setTimeout(150_000);
  const user = await createSignedInUser(page, "agents-api");
  await subscribe(user.email, "collective");
  const key = await createApiKey(page, "deployer", ["agents:read", "agents:write"]);

  const name = agentName("api");
  const idempotencyKey = `e2e-${randomUUID()}`;
  const first = await request.post("/api/v1/agents", {
    headers: { ...bearer(key), "idempotency-key": idempotencyKey },
    data: { name },
  });
  expect(first.status()).toBe(202);
  const created = (await first.json()) as Accepted;
  expect(created).toMatchObject({
    created: true,
    agent: { name, modelProvider: "platform" },
    operation: { kind: "provision" },
  });
  expect(["queued", "provisioning"]).toContain(created.agent.status);

  // The same key again: the same agent, nothing new created.
  const again = await request.post("/api/v1/agents", {
    headers: { ...bearer(key), "idempotency-key": idempotencyKey },
    data: { name },
  });
  expect(again.status()).toBe(202);
  expect((await again.json()) as Accepted).toMatchObject({ created: false, agent: { id: created.agent.id } });
  const list = await getJson(request, "/api/v1/agents", bearer(key));
  expect((list.body as { agents: Array<{ id: string }> }).agents.map((agent) => agent.id)).toEqual([created.agent.id]);

  await waitForStatus(request, key, created.agent.id, "running");
  const detail = await getJson(request, `/api/v1/agents/${created.agent.id}`, bearer(key));
  const timeline = (detail.body as { events: Array<{ type: string; durationMs: number | null }> }).events;
  expect(timeline.map((event) => event.type)).toEqual(expect.arrayContaining(["operation.queued", "health.live"]));
  expect(timeline.some((event) => event.durationMs !== null)).toBe(true);

  // Chat: several deltas that add up to the final reply.
  const chat = await collectEvents<{ type: string; text?: string; reply?: string }>(
    `/api/v1/agents/${created.agent.id}/chat`,
    { method: "POST", headers: bearer(key), body: { message: "hello there agent" } },
    (events) => events.some((event) => event.type === "done" || event.type === "error"),
  );
  expect(chat.status).toBe(200);
  expect(chat.contentType).toContain("text/event-stream");
  const deltas = chat.events.filter((event) => event.type === "delta");
  expect(deltas.length).toBeGreaterThan(1);
  const done = chat.events.at(-1);
  expect(done).toEqual({ type: "done", reply: "echo: hello there agent" });
  expect(deltas.map((event) => event.text).join("")).toBe(done?.reply);

  // The agent's live stream starts with its current state.
  const live = await collectEvents<{ agent: { id: string; status: string }; event: unknown }>(
    `/api/v1/agents/${created.agent.id}/events`,
    { headers: bearer(key) },
    (events) => events.length >= 1,
  );
  expect(live.status).toBe(200);
  expect(live.events[0]).toMatchObject({ agent: { id: created.agent.id, status: "running" } });

  const logs = await getJson(request, `/api/v1/agents/${created.agent.id}/logs?limit=50`, bearer(key));
  expect(logs.status).toBe(200);
  expect((logs.body as { lines: unknown[] }).lines.length).toBeGreaterThan(0);

  const controlUi = await getJson(request, `/api/v1/agents/${created.agent.id}/control-ui`, bearer(key));
  expect(controlUi.status).toBe(200);
  expect((controlUi.body as { url: string }).url).toMatch(/^http:\/\/.+#token=/);

  const deleted = await request.delete(`/api/v1/agents/${created.agent.id}`, { headers: bearer(key) });
  expect(deleted.status()).toBe(202);
  expect((await deleted.json()) as Accepted).toMatchObject({ operation: { kind: "delete" } });
  await waitForStatus(request, key, created.agent.id, "deleted");
});

test("another user's agent is a 404 everywhere; a read-only key cannot create; invalid bodies name the field", async ({
  browser,
  page: ownerPage,
  request,
}) => {
  test.setTimeout(150_000);
  // A second person in their own browser context, from their own IP.
  const strangerContext = await browser.newContext({
    baseURL: e2eRun().webUrl,
    extraHTTPHeaders: { "x-forwarded-for": randomIp() },
  });
  const strangerPage = await strangerContext.newPage();
  const [owner, stranger] = await Promise.all([
    createSignedInUser(ownerPage, "agents-owner"),
    createSignedInUser(strangerPage, "agents-stranger"),
  ]);
  await Promise.all([subscribe(owner.email, "solo"), subscribe(stranger.email, "solo")]);
  const ownerKey = await createApiKey(ownerPage, "owner", ["agents:read", "agents:write"]);
  const strangerKey = await createApiKey(strangerPage, "stranger", ["agents:read", "agents:write"]);
  const readOnly = await createApiKey(strangerPage, "reader", ["agents:read"]);

  const create = await request.post("/api/v1/agents", { headers: bearer(ownerKey), data: { name: agentName("own") } });
  expect(create.status()).toBe(202);
  const agentId = ((await create.json()) as Accepted).agent.id;

  for (const [method, path] of [
    ["GET", `/api/v1/agents/${agentId}`],
    ["GET", `/api/v1/agents/${agentId}/logs`],
    ["GET", `/api/v1/agents/${agentId}/control-ui`],
    ["POST", `/api/v1/agents/${agentId}/stop`],
    ["POST", `/api/v1/agents/${agentId}/redeploy`],
    ["DELETE", `/api/v1/agents/${agentId}`],
  ] as const) {
    const response = await request.fetch(path, { method, headers: bearer(strangerKey) });
    expect(response.status(), `${method} ${path}`).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  }
  for (const [method, path, body] of [
    ["GET", `/api/v1/agents/${agentId}/events`, undefined],
    ["GET", `/api/v1/agents/${agentId}/logs?follow=1`, undefined],
    ["POST", `/api/v1/agents/${agentId}/chat`, { message: "hi" }],
  ] as const) {
    const stream = await collectEvents(path, { method, headers: bearer(strangerKey), body }, () => true);
    expect(stream.status, `${method} ${path}`).toBe(404);
    expect(stream.events[0]).toMatchObject({ error: { code: "not_found" } });
  }
  const strangerList = await getJson(request, "/api/v1/agents", bearer(strangerKey));
  expect(strangerList.body).toEqual({ agents: [] });

  const readOnlyCreate = await request.post("/api/v1/agents", { headers: bearer(readOnly), data: { name: "nope" } });
  expect(readOnlyCreate.status()).toBe(403);
  expect(await readOnlyCreate.json()).toMatchObject({ error: { code: "insufficient_scope" } });
  const readOnlyChat = await request.post(`/api/v1/agents/${agentId}/chat`, {
    headers: bearer(readOnly),
    data: { message: "hi" },
  });
  expect(readOnlyChat.status()).toBe(403);

  const invalid = await request.post("/api/v1/agents", {
    headers: { ...bearer(ownerKey), "idempotency-key": "short" },
    data: { name: agentName("key") },
  });
  expect(invalid.status()).toBe(400);
  const issues = ((await invalid.json()) as { error: { details: { issues: Array<{ path: string }> } } }).error.details
    .issues;
  expect(issues.map((issue) => issue.path)).toEqual(["headers.idempotency-key"]);
  const issuePaths = async (body: unknown) => {
    const response = await request.post("/api/v1/agents", { headers: bearer(ownerKey), data: body });
    expect(response.status()).toBe(400);
    const error = (await response.json()) as { error: { details: { issues: Array<{ path: string }> } } };
    return error.error.details.issues.map((issue) => issue.path);
  };
  expect(await issuePaths({ name: "Bad Name", channels: { telegramBotToken: "nope" } })).toEqual([
    "body.name",
    "body.channels.telegramBotToken",
  ]);
  expect(await issuePaths({ name: agentName("byo"), modelProvider: "openai" })).toEqual(["body.providerApiKey"]);

  // Solo allows one agent.
  const second = await request.post("/api/v1/agents", { headers: bearer(ownerKey), data: { name: agentName("two") } });
  expect(second.status()).toBe(403);
  expect(await second.json()).toMatchObject({ error: { code: "plan_limit_reached" } });

  await waitForStatus(request, ownerKey, agentId, "running");
  const deleted = await request.delete(`/api/v1/agents/${agentId}`, { headers: bearer(ownerKey) });
  expect(deleted.status()).toBe(202);
  // While the delete runs, another operation is refused.
  const busy = await request.post(`/api/v1/agents/${agentId}/restart`, { headers: bearer(ownerKey) });
  expect([409, 404]).toContain(busy.status());
  await waitForStatus(request, ownerKey, agentId, "deleted");
  await strangerContext.close();
});

test("a user without a subscription is refused with 402", async ({ page, request }) => {
  test.setTimeout(90_000);
  await createSignedInUser(page, "agents-unpaid");
  const key = await createApiKey(page, "unpaid", ["agents:write"]);
  const response = await request.post("/api/v1/agents", { headers: bearer(key), data: { name: agentName("free") } });
  expect(response.status()).toBe(402);
  expect(await response.json()).toMatchObject({
    error: { code: "subscription_required", message: expect.any(String) },
  });
});
