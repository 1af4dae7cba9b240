// Sign-up with an address that already has an account must look exactly like a sign-up with a new one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

/** Everything a client can observe, with the values that differ per call anyway (ids, times, email) normalised. */
async function observable(response: Response) {
  const body = (await response.json()) as { token: unknown; user: Record<string, unknown> };
  return {
    status: response.status,
    headers: [...response.headers.entries()]
      .filter(([name]) => name !== "date" && name !== "content-length")
      .sort(([a], [b]) => a.localeCompare(b)),
    token: body.token,
    userKeys: Object.keys(body.user).sort(),
    userTypes: Object.fromEntries(Object.entries(body.user).map(([k, v]) => [k, v === null ? "null" : typeof v])),
    idShape: /^usr_[0-9a-z]{26}$/.test(String(body.user.id)),
    emailVerified: body.user.emailVerified,
  };
}

describe("duplicate email at sign-up", () => {
  it("answers a registered (verified) address exactly like a new one and emails the owner instead", async () => {
    const { email } = await h.user();
    const name = "Someone Else";
    const duplicate = await observable(await h.signUp({ email, name }));
    const fresh = await observable(await h.signUp({ email: uniqueEmail("fresh"), name }));
    expect(duplicate).toEqual(fresh);
    expect(await h.tdb.db.user.count({ where: { email } })).toBe(1);
    const mails = await h.outbox(email);
    expect(mails[0]?.template).toBe("account_exists");
    expect(mails[0]?.text).toContain("/forgot-password");
    const owner = await h.tdb.db.user.findUniqueOrThrow({ where: { email } });
    expect(
      await h.tdb.db.auditEvent.count({ where: { action: "auth.sign_up.existing_email", subjectUserId: owner.id } }),
    ).toBe(1);
  });

  it("sends a fresh verification link to an address that signed up but never verified", async () => {
    const email = uniqueEmail("twice");
    await h.signUp({ email });
    const second = await h.signUp({ email });
    expect(second.status).toBe(200);
    const mails = await h.outbox(email);
    expect(mails.map((m) => m.template)).toEqual(["verification", "verification"]);
    expect((await h.verifyFromOutbox(email)).status).toBe(302);
  });

  it("does not change the existing account's name or password", async () => {
    const { email } = await h.user();
    await h.signUp({ email, name: "Intruder", password: "intruder-chose-this-99" });
    expect((await h.signIn(email, "intruder-chose-this-99")).status).toBe(401);
    expect((await h.tdb.db.user.findUniqueOrThrow({ where: { email } })).name).toBe("Test Person");
  });
});
