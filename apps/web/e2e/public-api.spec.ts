import { e2eRun } from "../testing/env.ts";
import { bearer, createApiKey, createSignedInUser, expect, getJson, test } from "./support/accounts.ts";

/** The public API's error answers: the standard shape, the right status, nothing more. */

test("no credential, or a made-up key: 401 in the standard error shape", async ({ request }) => {
  for (const headers of [{}, bearer("agb_notARealKeyAtAll00000000000000000000000000000000000000000000000000")]) {
    const response = await getJson(request, "/api/v1/me", headers);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) as unknown } });
    expect(response.headers["cache-control"]).toContain("no-store");
  }
});

test("repeated failed authentications from one IP are answered 429 with Retry-After", async ({ request }) => {
  let last;
  for (let attempt = 0; attempt < 61; attempt++) {
    last = await request.get("/api/v1/me", { headers: bearer(`agb_${"x".repeat(64)}`) });
    if (last.status() !== 401) break;
  }
  expect(last?.status()).toBe(429);
  expect(Number(last?.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await last?.json()).toMatchObject({ error: { code: "rate_limited" } });
});

test("scopes are enforced and bodies validated; creating an agent without a subscription is refused", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await createSignedInUser(page, "scopes");
  const readOnly = await createApiKey(page, "read only", ["agents:read"]);
  const writer = await createApiKey(page, "writer", ["agents:write"]);

  expect(await getJson(request, "/api/v1/agents", bearer(readOnly))).toMatchObject({
    status: 200,
    body: { agents: [] },
  });
  const billing = await getJson(request, "/api/v1/billing/subscription", bearer(readOnly));
  expect(billing.status).toBe(403);
  expect(billing.body).toMatchObject({ error: { code: "insufficient_scope" } });

  const cannotWrite = await request.post("/api/v1/agents", { headers: bearer(readOnly), data: { name: "scout" } });
  expect(cannotWrite.status()).toBe(403);
  expect(await cannotWrite.json()).toMatchObject({ error: { code: "insufficient_scope" } });

  const admin = await getJson(request, "/api/v1/admin/users", bearer(writer));
  expect(admin.status).toBe(403);

  const invalid = await request.post("/api/v1/agents", { headers: bearer(writer), data: { name: 42 } });
  expect(invalid.status()).toBe(400);
  expect(await invalid.json()).toMatchObject({
    error: { code: "validation_failed", details: { issues: [expect.objectContaining({ path: "body.name" })] } },
  });

  const malformed = await request.post("/api/v1/agents", {
    headers: { ...bearer(writer), "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(malformed.status()).toBe(400);
  expect(await malformed.json()).toMatchObject({ error: { code: "invalid_json" } });

  const unsubscribed = await request.post("/api/v1/agents", { headers: bearer(writer), data: { name: "scout" } });
  expect(unsubscribed.status()).toBe(402);
  expect(await unsubscribed.json()).toMatchObject({ error: { code: "subscription_required" } });

  const badQuery = await getJson(request, "/api/v1/audit-events?limit=5000", bearer(readOnly));
  expect(badQuery.status).toBe(400);
  expect(badQuery.body).toMatchObject({
    error: { code: "validation_failed", details: { issues: [expect.objectContaining({ path: "query.limit" })] } },
  });
});

test("with a session cookie, the API answers for the signed-in user and refuses cross-site writes", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const user = await createSignedInUser(page, "cookie");
  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    user: { email: user.email },
    auth: {
      method: "session",
      scopes: ["agents:read", "agents:write", "approvals:read", "approvals:write", "billing:read"],
    },
  });

  const crossSite = await page.request.post("/api/v1/agents", {
    data: { name: "scout" },
    headers: { origin: "https://evil.example" },
  });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.json()).toMatchObject({ error: { code: "forbidden" } });

  const sameSite = await page.request.post("/api/v1/agents", {
    data: { name: "scout" },
    headers: { origin: new URL(e2eRun().webUrl).origin },
  });
  // Past the CSRF check: refused only because this user has no subscription.
  expect(sameSite.status()).toBe(402);

  const events = await page.request.get("/api/v1/audit-events");
  expect(events.status()).toBe(200);
  const body = (await events.json()) as { events: Array<{ action: string; actorEmail: string | null }> };
  expect(body.events.some((event) => event.action === "auth.login.succeeded")).toBe(true);
});

test("the outbox viewer is a 404 on a production server without DEV_OUTBOX", async ({ request }) => {
  const response = await request.get(`${e2eRun().unreachableWebUrl}/dev/outbox`);
  expect(response.status()).toBe(404);
});
