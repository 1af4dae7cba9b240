import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiRequest, BASE_URL, createHarness, sessionCookie, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ resetTokenMinutes: 30 });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const NEW_PASSWORD = "orchid-lantern-glacier-47";

async function requestReset(email: string): Promise<string> {
  const response = await h.call("/request-password-reset", { body: { email } });
  expect(response.status).toBe(200);
  const link = new URL(await h.linkFrom(email, "password_reset"));
  expect(`${link.origin}${link.pathname}`).toBe(`${BASE_URL}/reset-password`);
  return link.searchParams.get("token")!;
}

const resetWith = (token: string, newPassword = NEW_PASSWORD) =>
  h.call("/reset-password", { body: { token, newPassword } });

describe("password reset", () => {
  it("resets with the emailed token and ends every session of the account", async () => {
    const { email, cookie } = await h.user();
    const other = sessionCookie(await h.signIn(email))!;
    const token = await requestReset(email);
    const response = await resetWith(token);
    expect(response.status).toBe(200);
    for (const session of [cookie, other]) {
      expect(await h.app.authenticateRequest(apiRequest("/x", { cookie: session }))).toBeNull();
    }
    expect((await h.signIn(email)).status).toBe(401);
    expect((await h.signIn(email, NEW_PASSWORD)).status).toBe(200);
    const user = await h.tdb.db.user.findUniqueOrThrow({ where: { email } });
    const actions = (await h.tdb.db.auditEvent.findMany({ where: { subjectUserId: user.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["auth.password_reset.requested", "auth.password_reset.completed"]));
  });

  it("accepts a token once", async () => {
    const { email } = await h.user();
    const token = await requestReset(email);
    expect((await resetWith(token)).status).toBe(200);
    const again = await resetWith(token, "another-strong-passphrase-12");
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await h.signIn(email, NEW_PASSWORD)).status).toBe(200);
  });

  it("accepts a token once even when two requests race", async () => {
    const { email } = await h.user();
    const token = await requestReset(email);
    const results = await Promise.all([resetWith(token), resetWith(token), resetWith(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it("refuses an expired token", async () => {
    const { email } = await h.user();
    const token = await requestReset(email);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    const response = await resetWith(token);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "INVALID_TOKEN" });
  });

  it("stores the token hashed: Redis holds neither the token nor a key containing it", async () => {
    const { email } = await h.user();
    const token = await requestReset(email);
    const hashed = createHash("sha256").update(`reset-password:${token}`).digest("base64url");
    const raw = await h.kv.get(`auth:verification:reset-password:${token}`);
    expect(raw).toBeNull();
    const stored = await h.kv.get(`auth:verification:${hashed}`);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(token);
  });

  it("refuses a weak new password and keeps the token usable", async () => {
    const { email } = await h.user();
    const token = await requestReset(email);
    const weak = await resetWith(token, "password1234");
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({ code: "validation_failed", fields: [{ path: "newPassword" }] });
    expect((await resetWith(token)).status).toBe(200);
  });

  it("answers an unknown address exactly like a known one, and sends nothing", async () => {
    const { email } = await h.user();
    const known = await h.call("/request-password-reset", { body: { email } });
    const unknownEmail = uniqueEmail("nobody");
    const unknown = await h.call("/request-password-reset", { body: { email: unknownEmail } });
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    expect(await h.outbox(unknownEmail)).toEqual([]);
  });
});

describe("change password", () => {
  it("changes the password when signed in, refuses a weak one, and audits it", async () => {
    const { email, cookie, id } = await h.user();
    const headers = { origin: BASE_URL };
    const weak = await h.call("/change-password", {
      body: { currentPassword: "violet-harbor-tractor-91", newPassword: "qwertyuiop12" },
      cookie,
      headers,
    });
    expect(weak.status).toBe(400);
    const ok = await h.call("/change-password", {
      body: { currentPassword: "violet-harbor-tractor-91", newPassword: NEW_PASSWORD, revokeOtherSessions: true },
      cookie,
      headers,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).not.toHaveProperty("token");
    expect((await h.signIn(email, NEW_PASSWORD)).status).toBe(200);
    expect(await h.tdb.db.auditEvent.count({ where: { action: "auth.password.changed", subjectUserId: id } })).toBe(1);
  });
});
