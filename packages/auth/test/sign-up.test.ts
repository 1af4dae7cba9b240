import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, sessionCookie, STRONG_PASSWORD, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe("sign-up", () => {
  it("creates an unverified user, sends a verification email, and signs nobody in", async () => {
    const email = uniqueEmail("new");
    const response = await h.signUp({ email, name: "Ada Lovelace" });
    expect(response.status).toBe(200);
    expect(sessionCookie(response)).toBeNull();
    const body = (await response.json()) as { token: null; user: Record<string, unknown> };
    expect(body.token).toBeNull();
    expect(Object.keys(body.user).sort()).toEqual(
      ["createdAt", "email", "emailVerified", "id", "image", "name", "updatedAt"].sort(),
    );
    const row = await h.tdb.db.user.findUniqueOrThrow({ where: { email } });
    expect(row).toMatchObject({ name: "Ada Lovelace", emailVerified: false, role: "user" });
    expect(row.id).toMatch(/^usr_/);
    const account = await h.tdb.db.account.findFirstOrThrow({ where: { userId: row.id } });
    expect(account.id).toMatch(/^acc_/);
    expect(account.password).not.toContain(STRONG_PASSWORD);
    const mails = await h.outbox(email);
    expect(mails.map((m) => m.template)).toEqual(["verification"]);
    expect(mails[0]?.text).toContain("Ada Lovelace");
  });

  it("refuses without a bot-check payload (fails closed)", async () => {
    const email = uniqueEmail("nobot");
    const response = await h.call("/sign-up/email", {
      body: { name: "Bot", email, password: STRONG_PASSWORD },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "bot_check_failed" });
    expect(await h.tdb.db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a forged bot-check payload", async () => {
    const email = uniqueEmail("forged");
    const response = await h.call("/sign-up/email", {
      body: { name: "Bot", email, password: STRONG_PASSWORD },
      headers: { "x-bot-check": Buffer.from('{"challenge":{},"solution":{}}').toString("base64") },
    });
    expect(response.status).toBe(403);
    expect(await h.tdb.db.user.count({ where: { email } })).toBe(0);
  });

  it("explains a weak password on the password field", async () => {
    const short = await h.signUp({ email: uniqueEmail("weak"), password: "short" });
    expect(short.status).toBe(400);
    const shortBody = (await short.json()) as { code: string; message: string; fields: { path: string }[] };
    expect(shortBody.code).toBe("validation_failed");
    expect(shortBody.message).toMatch(/at least 10 characters/);
    expect(shortBody.fields[0]?.path).toBe("password");

    const common = await h.signUp({ email: uniqueEmail("weak"), password: "password1234" });
    expect(common.status).toBe(400);
    const commonBody = (await common.json()) as { message: string };
    expect(commonBody.message).toMatch(/too easy to guess/);
    expect(commonBody.message).toMatch(/passphrase/);
  });

  it("refuses a password built from the person's own email", async () => {
    const email = "margaret.hamilton.apollo@example.com";
    const response = await h.signUp({ email, password: "margaret.hamilton.apollo" });
    expect(response.status).toBe(400);
  });
});
