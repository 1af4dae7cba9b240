import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bypassesSubscriptionGate, createAuth, isAdmin } from "../src/index.ts";
import type { Principal } from "../src/index.ts";
import { createOutboxProvider } from "@agentbot/email";
import { apiRequest, BASE_URL, createHarness, STRONG_PASSWORD, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

const ADMIN_EMAIL = `boss-${Date.now()}@example.com`;
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ adminEmails: [ADMIN_EMAIL.toUpperCase()] });
});
afterAll(async () => {
  await h.close();
});

const principalFor = async (cookie: string) => (await h.app.authenticateRequest(apiRequest("/x", { cookie })))!;

describe("ADMIN_EMAILS bootstrap", () => {
  it("makes a listed address admin at sign-up (case-insensitively)", async () => {
    const { cookie } = await h.user(ADMIN_EMAIL);
    const me = await principalFor(cookie);
    expect(me.user.role).toBe("admin");
    expect(me.scopes.has("admin")).toBe(true);
    expect(isAdmin(me.user)).toBe(true);
    expect(bypassesSubscriptionGate(me.user)).toBe(true);
  });

  it("promotes an existing, verified account at sign-in once its address is listed", async () => {
    const email = uniqueEmail("later-admin");
    await h.user(email);
    expect((await h.tdb.db.user.findUniqueOrThrow({ where: { email } })).role).toBe("user");
    const listed = createAuth({
      db: h.tdb.db,
      kv: h.kv,
      email: createOutboxProvider({ db: h.tdb.db, from: "no-reply@agentbot.test" }),
      botCheck: h.botCheck,
      config: { secret: "x".repeat(40), baseUrl: BASE_URL, adminEmails: [email], secureCookies: false },
    });
    const response = await listed.auth.handler(
      new Request(`${BASE_URL}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: STRONG_PASSWORD }),
      }),
    );
    expect(response.status).toBe(200);
    const user = await h.tdb.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.role).toBe("admin");
    const event = await h.tdb.db.auditEvent.findFirstOrThrow({
      where: { action: "admin.role.changed", subjectUserId: user.id },
    });
    expect(event.metadata).toMatchObject({ reason: "ADMIN_EMAILS", to: "admin" });
  });

  it("ordinary users do not bypass the subscription gate", () => {
    expect(bypassesSubscriptionGate({ role: "user" })).toBe(false);
    expect(bypassesSubscriptionGate({ role: "admin", banned: true })).toBe(false);
    expect(bypassesSubscriptionGate(null)).toBe(false);
  });
});

describe("admin operations", () => {
  let admin: Principal;
  beforeAll(async () => {
    const existing = await h.tdb.db.user.findUnique({ where: { email: ADMIN_EMAIL } });
    const { cookie } = existing
      ? { cookie: (await h.signIn(ADMIN_EMAIL)).headers.getSetCookie()[0]!.split(";")[0]! }
      : await h.user(ADMIN_EMAIL);
    admin = await principalFor(cookie);
  });

  it("lists and searches users, paged, with a total", async () => {
    const tag = `findme${Date.now()}`;
    for (let i = 0; i < 3; i++) await h.user(`${tag}-${i}@example.com`);
    const page1 = await h.app.admin.listUsers(admin, { search: tag.toUpperCase(), limit: 2 });
    expect(page1.total).toBe(3);
    expect(page1.users).toHaveLength(2);
    const page2 = await h.app.admin.listUsers(admin, { search: tag, limit: 2, offset: 2 });
    expect(page2.users).toHaveLength(1);
    expect(new Set([...page1.users, ...page2.users].map((u) => u.email)).size).toBe(3);
    expect(page1.users[0]).toMatchObject({ role: "user", banned: false, subscriptionStatus: "none", plan: null });
  });

  it("promotes and demotes, audited with actor, subject, IP and user agent", async () => {
    const target = await h.user();
    const request = new Request(`${BASE_URL}/api/v1/admin/users`, {
      method: "POST",
      headers: { "x-forwarded-for": "192.0.2.55", "user-agent": "AdminPanel/1.0", origin: BASE_URL },
    });
    const promoted = await h.app.admin.setRole(admin, { userId: target.id, role: "admin" }, request);
    expect(promoted.role).toBe("admin");
    expect((await principalFor(target.cookie)).scopes.has("admin")).toBe(true);
    await h.app.admin.setRole(admin, { userId: target.id, role: "user" }, request);
    expect((await principalFor(target.cookie)).scopes.has("admin")).toBe(false);
    const events = await h.tdb.db.auditEvent.findMany({
      where: { action: "admin.role.changed", subjectUserId: target.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.metadata)).toEqual([
      { from: "user", to: "admin", via: "session" },
      { from: "admin", to: "user", via: "session" },
    ]);
    expect(events[0]).toMatchObject({ actorUserId: admin.user.id, ip: "192.0.2.55", userAgent: "AdminPanel/1.0" });
    // What /get-session shows is refreshed too.
    const session = (await (await h.call("/get-session", { cookie: target.cookie })).json()) as {
      user: { role: string };
    };
    expect(session.user.role).toBe("user");
  });

  it("refuses to demote the last admin, and an ADMIN_EMAILS address", async () => {
    const admins = await h.tdb.db.user.findMany({ where: { role: "admin", banned: false } });
    const others = admins.filter((u) => u.id !== admin.user.id);
    await h.tdb.db.user.updateMany({ where: { id: { in: others.map((u) => u.id) } }, data: { role: "user" } });
    try {
      await h.tdb.db.user.update({ where: { id: admin.user.id }, data: { email: `renamed-${ADMIN_EMAIL}` } });
      await expect(h.app.admin.setRole(admin, { userId: admin.user.id, role: "user" })).rejects.toMatchObject({
        code: "last_admin",
        status: 409,
      });
    } finally {
      await h.tdb.db.user.update({ where: { id: admin.user.id }, data: { email: ADMIN_EMAIL } });
      await h.tdb.db.user.updateMany({ where: { id: { in: others.map((u) => u.id) } }, data: { role: "admin" } });
    }
    await expect(h.app.admin.setRole(admin, { userId: admin.user.id, role: "user" })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await h.tdb.db.user.findUniqueOrThrow({ where: { id: admin.user.id } })).role).toBe("admin");
  });

  it("disables an account: its sessions end, its keys stop, it cannot sign in; enabling lets it sign in again", async () => {
    const target = await h.user();
    const targetPrincipal = await principalFor(target.cookie);
    const { key } = await h.app.apiKeys.create(targetPrincipal, { name: "k", scopes: ["agents:read"] });
    const disabled = await h.app.admin.disableUser(admin, { userId: target.id, reason: "abuse" });
    expect(disabled).toMatchObject({ banned: true, banReason: "abuse" });
    expect(await h.app.authenticateRequest(apiRequest("/x", { cookie: target.cookie }))).toBeNull();
    expect(await h.app.authenticateRequest(apiRequest("/x", { key }))).toBeNull();
    expect(await h.app.sessions.list(targetPrincipal).catch(() => [])).toEqual([]);
    const refused = await h.signIn(target.email);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "BANNED_USER" });

    await h.app.admin.enableUser(admin, { userId: target.id });
    expect((await h.signIn(target.email)).status).toBe(200);
    expect(await h.app.authenticateRequest(apiRequest("/x", { key }))).not.toBeNull();
    const actions = (
      await h.tdb.db.auditEvent.findMany({ where: { subjectUserId: target.id, action: { startsWith: "admin." } } })
    ).map((e) => e.action);
    expect(actions.sort()).toEqual(["admin.account.disabled", "admin.account.enabled"]);
  });

  it("cannot disable itself; unknown users are not_found", async () => {
    await expect(h.app.admin.disableUser(admin, { userId: admin.user.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(h.app.admin.setRole(admin, { userId: "usr_nope", role: "admin" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(h.app.admin.setRole(admin, { userId: admin.user.id, role: "owner" as "admin" })).rejects.toMatchObject(
      {
        code: "validation_failed",
        fields: [expect.objectContaining({ path: "role" })],
      },
    );
  });

  it("sees every audit event and filters them", async () => {
    const target = await h.user();
    const all = await h.app.listAuditEvents(admin, { filters: { subjectUserId: target.id } });
    expect(all.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["auth.sign_up", "auth.email.verified", "auth.login.succeeded"]),
    );
    const logins = await h.app.listAuditEvents(admin, {
      filters: { action: "auth.login.succeeded", subjectUserId: target.id },
    });
    expect(logins.events).toHaveLength(1);
    const byActor = await h.app.listAuditEvents(admin, { filters: { actorEmail: target.email.toUpperCase() } });
    expect(byActor.events.length).toBeGreaterThan(0);
    const future = await h.app.listAuditEvents(admin, { filters: { from: new Date(Date.now() + 60_000) } });
    expect(future.events).toEqual([]);
  });
});
