// A solved proof-of-work payload admits one sign-up; replaying it fails closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, STRONG_PASSWORD, uniqueEmail } from "./harness.ts";
import type { Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe("bot check replay", () => {
  it("refuses a second sign-up with the same solved payload", async () => {
    const payload = await h.solveBotCheck();
    const signUp = (email: string) =>
      h.call("/sign-up/email", {
        body: { name: "Replay", email, password: STRONG_PASSWORD },
        headers: { "x-bot-check": payload },
      });
    expect((await signUp(uniqueEmail("first"))).status).toBe(200);
    const replayedEmail = uniqueEmail("replayed");
    const replayed = await signUp(replayedEmail);
    expect(replayed.status).toBe(403);
    expect(await replayed.json()).toMatchObject({ code: "bot_check_failed", reason: "replayed" });
    expect(await h.tdb.db.user.count({ where: { email: replayedEmail } })).toBe(0);
  });

  it("serves a fresh challenge for the page", async () => {
    const a = await h.app.createBotChallenge();
    const b = await h.app.createBotChallenge();
    expect(a).toHaveProperty("signature");
    expect(a).not.toEqual(b);
  });
});
