import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiRequest, BASE_URL, createHarness, sessionCookie, STRONG_PASSWORD, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ verificationTokenMinutes: 60 });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("email verification and sign-in", () => {
  it("refuses to sign in before the address is verified", async () => {
    const email = uniqueEmail("unverified");
    expect((await h.signUp({ email })).status).toBe(200);
    const response = await h.signIn(email);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "EMAIL_NOT_VERIFIED" });
    expect(sessionCookie(response)).toBeNull();
  });

  it("verifies from the outbox link, sends a welcome email, then signs in with a safe cookie", async () => {
    const email = uniqueEmail("verify");
    await h.signUp({ email, name: "Grace Hopper" });
    const link = await h.linkFrom(email, "verification");
    expect(link.startsWith(`${BASE_URL}/api/auth/verify-email?token=`)).toBe(true);

    const verified = await h.verifyFromOutbox(email);
    expect(verified.status).toBe(302);
    expect(verified.headers.get("location")).toBe("/verify-email");
    expect((await h.tdb.db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(true);
    expect((await h.outbox(email)).map((m) => m.template).sort()).toEqual(["verification", "welcome"]);

    const signedIn = await h.signIn(email);
    expect(signedIn.status).toBe(200);
    const body = (await signedIn.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty("token"); // the token stays in the HttpOnly cookie
    const setCookie = signedIn.headers.getSetCookie().find((line) => line.startsWith("agentbot.session_token="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);

    const principal = await h.app.authenticateRequest(apiRequest("/api/v1/me", { cookie: sessionCookie(signedIn)! }));
    expect(principal).toMatchObject({ via: "session", user: { email, role: "user" } });
    expect([...principal!.scopes].sort()).toEqual([
      "agents:read",
      "agents:write",
      "approvals:read",
      "approvals:write",
      "billing:read",
    ]);
  });

  it("accepts a verification link once; the second use says it was used", async () => {
    const email = uniqueEmail("reuse");
    await h.signUp({ email });
    expect((await h.verifyFromOutbox(email)).status).toBe(302);
    const again = await h.verifyFromOutbox(email);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/verify-email?error=TOKEN_ALREADY_USED");
  });

  it("refuses an expired verification link with a clear error", async () => {
    const email = uniqueEmail("expired");
    await h.signUp({ email });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61 * 60_000);
    const response = await h.verifyFromOutbox(email);
    expect(response.headers.get("location")).toBe("/verify-email?error=TOKEN_EXPIRED");
    expect((await h.tdb.db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);
  });

  it("refuses a wrong password with the same answer as an unknown address", async () => {
    const { email } = await h.user();
    const wrong = await h.signIn(email, "not-the-password-at-all");
    const unknown = await h.signIn(uniqueEmail("nobody"), "not-the-password-at-all");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it("issues a new session id at every sign-in and retires the one the browser already had", async () => {
    const { email, cookie: first } = await h.user();
    const second = await h.signIn(email, STRONG_PASSWORD, { cookie: first, headers: { origin: BASE_URL } });
    expect(second.status).toBe(200);
    const rotated = sessionCookie(second);
    expect(rotated).not.toBeNull();
    expect(rotated).not.toBe(first);
    expect(await h.app.authenticateRequest(apiRequest("/x", { cookie: rotated! }))).not.toBeNull();
    // The pre-existing cookie is not carried over: it no longer authenticates.
    expect(await h.app.authenticateRequest(apiRequest("/x", { cookie: first }))).toBeNull();
  });

  it("records sign-up, verification and logins with IP and user agent", async () => {
    const email = uniqueEmail("audited");
    await h.signUp({ email }, { ip: "192.0.2.10" });
    await h.verifyFromOutbox(email);
    await h.signIn(email, "wrong-password-here", { ip: "192.0.2.11" });
    await h.signIn(email, STRONG_PASSWORD, { ip: "192.0.2.12" });
    const user = await h.tdb.db.user.findUniqueOrThrow({ where: { email } });
    const events = await h.tdb.db.auditEvent.findMany({ where: { subjectUserId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual([
      "auth.sign_up",
      "auth.email.verified",
      "auth.login.failed",
      "auth.login.succeeded",
    ]);
    expect(events.find((e) => e.action === "auth.sign_up")).toMatchObject({ ip: "192.0.2.10", actorUserId: user.id });
    expect(events.find((e) => e.action === "auth.login.failed")).toMatchObject({
      ip: "192.0.2.11",
      actorUserId: null,
      actorEmail: email,
      userAgent: "vitest/agentbot-auth",
      metadata: { reason: "INVALID_EMAIL_OR_PASSWORD" },
    });
    expect(events.find((e) => e.action === "auth.login.succeeded")).toMatchObject({ ip: "192.0.2.12" });
  });

  it("records a failed login for an unknown address with the email kept and no actor", async () => {
    const email = uniqueEmail("ghost");
    await h.signIn(email, "whatever-password");
    const event = await h.tdb.db.auditEvent.findFirstOrThrow({ where: { actorEmail: email } });
    expect(event).toMatchObject({ action: "auth.login.failed", actorUserId: null, subjectUserId: null });
  });
});

describe("secure cookies", () => {
  it("uses the __Secure- prefix and the Secure attribute when configured", async () => {
    const secure = await createHarness({ secureCookies: true });
    try {
      const { cookie } = await secure.user();
      expect(cookie.startsWith("__Secure-agentbot.session_token=")).toBe(true);
      const again = await secure.signIn((await secure.tdb.db.user.findFirstOrThrow()).email);
      const line = again.headers.getSetCookie().find((l) => l.startsWith("__Secure-agentbot.session_token="));
      expect(line).toMatch(/; Secure/i);
      expect(line).toMatch(/HttpOnly/i);
      expect(secure.app.sessionCookieName).toBe("__Secure-agentbot.session_token");
    } finally {
      await secure.close();
    }
  });
});
