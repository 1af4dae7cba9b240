import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AuthError } from "../src/index.ts";
import { apiRequest, BASE_URL, createHarness, sessionCookie } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ sessionInactivityMinutes: 30, sessionAbsoluteHours: 2 });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const principalFor = (cookie: string) => h.app.authenticateRequest(apiRequest("/api/v1/me", { cookie }));

describe("sessions", () => {
  it("lists the person's sessions, marking the current one, without tokens", async () => {
    const { email, cookie: laptop } = await h.user();
    const phone = sessionCookie(await h.signIn(email, undefined, { headers: { "user-agent": "Phone/1.0" } }))!;
    const sessions = await h.app.sessions.list(await principalFor(laptop));
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.map((s) => s.userAgent)).toContain("Phone/1.0");
    expect(JSON.stringify(sessions)).not.toContain(phone.split("=")[1]!.split(".")[0]!);
    for (const session of sessions) expect(session.id).toMatch(/^ses_/);
  });

  it("revokes one session: that cookie stops working, the others keep working", async () => {
    const { email, cookie: laptop } = await h.user();
    const phone = sessionCookie(await h.signIn(email))!;
    const me = await principalFor(laptop);
    const phoneSession = (await h.app.sessions.list(me)).find((s) => !s.current)!;
    await h.app.sessions.revoke(me, { sessionId: phoneSession.id }, apiRequest("/x", { cookie: laptop }));
    expect(await principalFor(phone)).toBeNull();
    expect(await principalFor(laptop)).not.toBeNull();
    const event = await h.tdb.db.auditEvent.findFirstOrThrow({
      where: { action: "auth.session.revoked", targetId: phoneSession.id },
    });
    expect(event.actorUserId).toBe(me!.user.id);
  });

  it("logs out everywhere: every session of the person ends", async () => {
    const { email, cookie: a } = await h.user();
    const b = sessionCookie(await h.signIn(email))!;
    const c = sessionCookie(await h.signIn(email))!;
    const result = await h.app.sessions.revokeAll(await principalFor(a));
    expect(result.revoked).toBe(3);
    for (const cookie of [a, b, c]) expect(await principalFor(cookie)).toBeNull();
    const row = await h.tdb.db.user.findUniqueOrThrow({ where: { email } });
    expect(
      await h.tdb.db.auditEvent.count({ where: { action: "auth.logout_everywhere", subjectUserId: row.id } }),
    ).toBe(1);
  });

  it("signs out through the handler, audited", async () => {
    const { cookie, id } = await h.user();
    const response = await h.call("/sign-out", { body: {}, cookie, headers: { origin: BASE_URL } });
    expect(response.status).toBe(200);
    expect(await principalFor(cookie)).toBeNull();
    expect(await h.tdb.db.auditEvent.count({ where: { action: "auth.logout", subjectUserId: id } })).toBe(1);
  });

  it("expires a session left unused for the inactivity timeout", async () => {
    const { cookie } = await h.user();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 25 * 60_000);
    expect(await principalFor(cookie)).not.toBeNull(); // used at 25 min: the window slides
    vi.setSystemTime(Date.now() + 25 * 60_000);
    expect(await principalFor(cookie)).not.toBeNull(); // 50 min after sign-in, 25 after last use
    vi.setSystemTime(Date.now() + 31 * 60_000);
    expect(await principalFor(cookie)).toBeNull(); // 31 min idle
  });

  it("ends a session at its absolute lifetime however active it is", async () => {
    const { cookie } = await h.user();
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    for (let minutes = 20; minutes < 120; minutes += 20) {
      vi.setSystemTime(start + minutes * 60_000);
      const principal = await principalFor(cookie);
      expect(principal).not.toBeNull();
      // better-auth's own expiry never reaches past the absolute lifetime, however often the session slides.
      const [session] = await h.app.sessions.list(principal);
      expect(session!.expiresAt.getTime()).toBeLessThanOrEqual(session!.createdAt.getTime() + 2 * 3_600_000);
    }
    vi.setSystemTime(start + 121 * 60_000);
    expect(await principalFor(cookie)).toBeNull();
    // Also through better-auth's own session endpoint, which the browser calls.
    const response = await h.call("/get-session", { cookie });
    expect(await response.json()).toBeNull();
  });

  it("needs a session: API keys cannot list or revoke sessions", async () => {
    const { cookie } = await h.user();
    const me = await principalFor(cookie);
    const { key } = await h.app.apiKeys.create(me, { name: "script", scopes: ["agents:read"] });
    const viaKey = await h.app.authenticateRequest(apiRequest("/api/v1/me", { key }));
    expect(viaKey?.via).toBe("api_key");
    await expect(h.app.sessions.list(viaKey)).rejects.toMatchObject({ code: "forbidden" });
    await expect(h.app.sessions.revokeAll(viaKey)).rejects.toBeInstanceOf(AuthError);
    await expect(h.app.sessions.list(null)).rejects.toMatchObject({ code: "unauthenticated", status: 401 });
  });
});
