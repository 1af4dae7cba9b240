// Brute force against sign-in, sign-up and password reset: refused with 429 and Retry-After, per email and per IP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, randomIp, STRONG_PASSWORD, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  // The default limits, except per IP (the same code path, with fewer requests to make).
  h = await createHarness({
    rateLimits: {
      signInPerIp: { points: 8, durationSeconds: 600 },
      signUpPerIp: { points: 4, durationSeconds: 3600 },
    },
  });
});
afterAll(async () => {
  await h.close();
});

async function expectRateLimited(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  expect(await response.json()).toMatchObject({ code: "rate_limited", retryAfterSeconds: retryAfter });
}

describe("sign-in", () => {
  it("locks an address after 5 wrong passwords, from any IP, even for the right password", async () => {
    const { email } = await h.user();
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await h.signIn(email, `wrong-password-${attempt}`, { ip: randomIp() })).status).toBe(401);
    }
    await expectRateLimited(await h.signIn(email, "wrong-password-6", { ip: randomIp() }));
    await expectRateLimited(await h.signIn(email, STRONG_PASSWORD, { ip: randomIp() }));
    const retryAfter = Number((await h.signIn(email, STRONG_PASSWORD)).headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it("counts consecutive failures: a successful login resets the counter", async () => {
    const { email } = await h.user();
    for (let round = 0; round < 3; round++) {
      for (let attempt = 0; attempt < 3; attempt++) expect((await h.signIn(email, "nope-nope-nope")).status).toBe(401);
      expect((await h.signIn(email)).status).toBe(200);
    }
  });

  it("limits one IP trying many addresses", async () => {
    const ip = randomIp();
    for (let attempt = 0; attempt < 8; attempt++) {
      expect((await h.signIn(uniqueEmail("spray"), "password-spray-1", { ip })).status).toBe(401);
    }
    await expectRateLimited(await h.signIn(uniqueEmail("spray"), "password-spray-1", { ip }));
    expect((await h.signIn(uniqueEmail("spray"), "password-spray-1", { ip: randomIp() })).status).toBe(401);
  });
});

describe("sign-up and password reset", () => {
  it("limits sign-ups per address", async () => {
    const email = uniqueEmail("signup-flood");
    for (let attempt = 0; attempt < 3; attempt++) expect((await h.signUp({ email })).status).toBe(200);
    await expectRateLimited(await h.signUp({ email }));
  });

  it("limits sign-ups per IP", async () => {
    const ip = randomIp();
    for (let attempt = 0; attempt < 4; attempt++) {
      expect((await h.signUp({ email: uniqueEmail("bulk") }, { ip })).status).toBe(200);
    }
    await expectRateLimited(await h.signUp({ email: uniqueEmail("bulk") }, { ip }));
  });

  it("limits password reset emails per address", async () => {
    const { email } = await h.user();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await h.call("/request-password-reset", { body: { email } })).status).toBe(200);
    }
    await expectRateLimited(await h.call("/request-password-reset", { body: { email } }));
    const resets = (await h.outbox(email)).filter((m) => m.template === "password_reset");
    expect(resets).toHaveLength(3);
  });
});
