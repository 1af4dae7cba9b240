// Cross-site requests against cookie-authenticated state changes: better-auth's endpoints and our own routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../src/index.ts";
import { apiRequest, BASE_URL, createHarness, STRONG_PASSWORD } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ trustedOrigins: ["https://app.agentbot.example"] });
});
afterAll(async () => {
  await h.close();
});

const EVIL = "https://evil.example";

describe("better-auth endpoints", () => {
  it("refuses a cross-site sign-out and change-password carrying the victim's cookie", async () => {
    const { cookie } = await h.user();
    const signOut = await h.call("/sign-out", { body: {}, cookie, headers: { origin: EVIL } });
    expect(signOut.status).toBe(403);
    const change = await h.call("/change-password", {
      body: { currentPassword: STRONG_PASSWORD, newPassword: "attacker-chosen-pass-77" },
      cookie,
      headers: { origin: EVIL },
    });
    expect(change.status).toBe(403);
    expect(await h.app.authenticateRequest(apiRequest("/x", { cookie }))).not.toBeNull();
  });

  it("refuses a cookie-carrying state change with no Origin at all", async () => {
    const { cookie } = await h.user();
    const response = await h.call("/sign-out", { body: {}, cookie });
    expect(response.status).toBe(403);
  });

  it("accepts the same requests from the app's own origin and from trusted origins", async () => {
    const { cookie } = await h.user();
    expect(
      (await h.call("/update-user", { body: { name: "New Name" }, cookie, headers: { origin: BASE_URL } })).status,
    ).toBe(200);
    const trusted = await h.call("/update-user", {
      body: { name: "Trusted" },
      cookie,
      headers: { origin: "https://app.agentbot.example" },
    });
    expect(trusted.status).toBe(200);
  });

  it("blocks a cross-site form navigation to sign-in (login CSRF)", async () => {
    const { email } = await h.user();
    const response = await h.call("/sign-in/email", {
      body: { email, password: STRONG_PASSWORD },
      headers: {
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "navigate",
        "sec-fetch-dest": "document",
        origin: EVIL,
      },
    });
    expect(response.status).toBe(403);
  });

  it("refuses a sign-in posted by another site's script", async () => {
    const { email } = await h.user();
    const response = await h.call("/sign-in/email", {
      body: { email, password: STRONG_PASSWORD },
      headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", origin: EVIL },
    });
    expect(response.status).toBe(403);
  });
});

describe("assertSameOrigin for our own routes", () => {
  const post = (headers: Record<string, string>) =>
    new Request(`${BASE_URL}/api/v1/agents`, { method: "POST", headers });

  it("accepts same-origin and trusted-origin requests, and safe methods", () => {
    expect(() => h.app.assertSameOrigin(post({ origin: BASE_URL, cookie: "a=b" }))).not.toThrow();
    expect(() => h.app.assertSameOrigin(post({ origin: "https://app.agentbot.example" }))).not.toThrow();
    expect(() => h.app.assertSameOrigin(post({ "sec-fetch-site": "same-origin" }))).not.toThrow();
    expect(() =>
      h.app.assertSameOrigin(new Request(`${BASE_URL}/api/v1/agents`, { headers: { origin: EVIL } })),
    ).not.toThrow();
  });

  it("refuses another origin, a null origin, a cross-site fetch and a request that says nothing", () => {
    const cases: Record<string, string>[] = [
      { origin: EVIL },
      { origin: "null" },
      { origin: "http://127.0.0.1:3001" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      {},
    ];
    for (const headers of cases) {
      let thrown: unknown;
      try {
        h.app.assertSameOrigin(post(headers));
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(headers)).toBeInstanceOf(AuthError);
      expect(thrown).toMatchObject({ code: "csrf_rejected", status: 403 });
    }
  });

  it("exempts requests that authenticate with an API key header (browsers never attach one by themselves)", () => {
    expect(() => h.app.assertSameOrigin(post({ origin: EVIL, authorization: "Bearer agb_x" }))).not.toThrow();
    expect(() => h.app.assertSameOrigin(post({ "x-api-key": "agb_x" }))).not.toThrow();
  });
});
