// Without REDIS_URL the web app runs on the in-process key-value store; the whole flow must work there too.
import { randomBytes } from "node:crypto";
import { createPowBotCheck } from "@agentbot/bot-check";
import type { AltchaChallenge } from "@agentbot/bot-check";
import { createTestDatabase } from "@agentbot/db/testing";
import { createOutboxProvider, listOutbox } from "@agentbot/email";
import { createInProcessStore } from "@agentbot/kv";
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { describe, expect, it } from "vitest";
import { createAuth } from "../src/index.ts";
import { apiRequest, BASE_URL, sessionCookie, STRONG_PASSWORD } from "./harness.ts";

describe("on the in-process store", () => {
  it("signs up, verifies, signs in, creates and uses a key, and logs out everywhere", async () => {
    await using tdb = await createTestDatabase();
    const kv = createInProcessStore();
    const botCheck = createPowBotCheck({ hmacKey: randomBytes(32).toString("hex"), kv, maxNumber: 100, cost: 10 });
    const app = createAuth({
      db: tdb.db,
      kv,
      botCheck,
      email: createOutboxProvider({ db: tdb.db, from: "no-reply@agentbot.test" }),
      config: { secret: randomBytes(32).toString("hex"), baseUrl: BASE_URL, secureCookies: false, adminEmails: [] },
    });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      app.auth.handler(
        new Request(`${BASE_URL}/api/auth${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(body),
        }),
      );
    const email = "solo@example.com";
    const challenge = (await app.createBotChallenge()) as AltchaChallenge;
    const solution = await solveChallenge({ challenge, deriveKey });
    const payload = Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
    expect(
      (await post("/sign-up/email", { name: "Solo", email, password: STRONG_PASSWORD }, { "x-bot-check": payload }))
        .status,
    ).toBe(200);

    await app.settled();
    const link = (await listOutbox(tdb.db, { to: email }))[0]!.text.match(/http:\/\/\S+/)![0];
    expect((await app.auth.handler(new Request(link))).status).toBe(302);
    const cookie = sessionCookie(await post("/sign-in/email", { email, password: STRONG_PASSWORD }))!;
    const me = await app.authenticateRequest(apiRequest("/x", { cookie }));
    const { key } = await app.apiKeys.create(me, { name: "k", scopes: ["agents:read"] });
    expect((await app.authenticateRequest(apiRequest("/x", { key })))?.via).toBe("api_key");
    await app.sessions.revokeAll(me);
    expect(await app.authenticateRequest(apiRequest("/x", { cookie }))).toBeNull();
    await kv.close();
  });
});
