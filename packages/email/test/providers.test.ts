import { createTestDatabase } from "@agentbot/db/testing";
import type { TestDatabase } from "@agentbot/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createEmailProvider,
  createOutboxProvider,
  createResendProvider,
  getOutboxMessage,
  listOutbox,
  renderVerificationEmail,
  renderWelcomeEmail,
} from "../src/index.ts";
import type { OutgoingEmail } from "../src/index.ts";
import { describeEmailProvider } from "./contract.ts";
import { startFakeResend } from "./fake-resend.ts";
import type { FakeResend } from "./fake-resend.ts";

const from = "Agentbot <hello@agentbot.example>";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describeEmailProvider("outbox (PostgreSQL)", async () => {
  await database.db.emailMessage.deleteMany();
  return {
    provider: createOutboxProvider({ db: database.db, from }),
    from,
    delivered: async () =>
      (await listOutbox(database.db, { limit: 200 })).reverse().map(({ createdAt: _createdAt, ...email }) => email),
    close: () => Promise.resolve(),
  };
});

describeEmailProvider("resend (local fake of the API)", async () => {
  const fake = await startFakeResend();
  return {
    provider: createResendProvider({ apiKey: fake.apiKey, from, baseUrl: fake.baseUrl }),
    from,
    delivered: () =>
      Promise.resolve(
        fake.accepted.map(({ id, from: sender, to, subject, html, text, tags }) => ({
          id,
          from: sender,
          to: Array.isArray(to) ? to.join(",") : to,
          subject,
          html,
          text,
          template: tags?.find((tag) => tag.name === "template")?.value ?? "",
        })),
      ),
    close: () => fake.close(),
  };
});

const welcome = (to: string): OutgoingEmail => ({
  to,
  ...renderWelcomeEmail({ name: "Ada", dashboardUrl: "https://agentbot.example/dashboard" }),
});

describe("Resend request shape", () => {
  let fake: FakeResend;
  beforeEach(async () => {
    fake = await startFakeResend();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("POSTs /emails with the bearer key and a JSON body of from, to, subject, html, text", async () => {
    const provider = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: fake.baseUrl });
    const sent = welcome("ada@example.com");
    const { id } = await provider.send(sent);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: "POST",
      path: "/emails",
      authorization: `Bearer ${fake.apiKey}`,
      contentType: "application/json",
    });
    expect(request!.body).toEqual({
      from,
      to: "ada@example.com",
      subject: sent.subject,
      html: sent.html,
      text: sent.text,
      tags: [{ name: "template", value: "welcome" }],
    });
    expect(id).toBe(fake.accepted[0]!.id);
  });

  it("rejects with Resend's status, error name and message", async () => {
    const provider = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: fake.baseUrl });
    fake.override({
      status: 422,
      body: JSON.stringify({ statusCode: 422, name: "validation_error", message: "Invalid `from` field." }),
    });
    await expect(provider.send(welcome("ada@example.com"))).rejects.toThrow(
      "Resend rejected the email (422 validation_error): Invalid `from` field.",
    );
  });

  it("rejects when the key is wrong, as Resend answers it", async () => {
    const provider = createResendProvider({ apiKey: "re_wrong_key", from, baseUrl: fake.baseUrl });
    await expect(provider.send(welcome("ada@example.com"))).rejects.toThrow(/403 invalid_api_key/);
    expect(fake.accepted).toEqual([]);
  });

  it("rejects on a server error without JSON, and when Resend does not answer in time", async () => {
    const provider = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: fake.baseUrl, timeoutMs: 300 });
    fake.override({ status: 502, body: "<html>Bad gateway</html>" });
    await expect(provider.send(welcome("ada@example.com"))).rejects.toThrow(/Resend rejected the email \(502/);
    fake.override("hang");
    const started = Date.now();
    await expect(provider.send(welcome("ada@example.com"))).rejects.toThrow(/Resend rejected the email/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("rejects when Resend cannot be reached", async () => {
    const provider = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: "http://127.0.0.1:1" });
    await expect(provider.send(welcome("ada@example.com"))).rejects.toThrow(
      /Resend rejected the email \(no response\)/,
    );
  });

  it("refuses to be created without a key or a sender", () => {
    expect(() => createResendProvider({ apiKey: "", from })).toThrow(/apiKey/);
    expect(() => createResendProvider({ apiKey: "re_x", from: "" })).toThrow(/from/);
  });
});

describe("createEmailProvider", () => {
  it("uses Resend when a key is set and the outbox otherwise", async () => {
    const fake = await startFakeResend();
    const resend = createEmailProvider({
      resendApiKey: fake.apiKey,
      from,
      db: database.db,
      resendBaseUrl: fake.baseUrl,
    });
    expect(resend.kind).toBe("resend");
    await resend.send(welcome("via-resend@example.com"));
    expect(fake.accepted.map((email) => email.to)).toEqual(["via-resend@example.com"]);
    await fake.close();

    for (const resendApiKey of [undefined, ""]) {
      const outbox = createEmailProvider({ resendApiKey, from, db: database.db });
      expect(outbox.kind).toBe("outbox");
      const { id } = await outbox.send(welcome("via-outbox@example.com"));
      expect((await getOutboxMessage(database.db, id))?.to).toBe("via-outbox@example.com");
    }
  });
});

describe("outbox queries", () => {
  beforeEach(async () => {
    await database.db.emailMessage.deleteMany();
  });

  it("stores messages with eml_ ids and reads them back", async () => {
    const outbox = createOutboxProvider({ db: database.db, from });
    const sent = {
      to: "ada@example.com",
      ...renderVerificationEmail({ name: "Ada", url: "https://agentbot.example/v?t=1" }),
    };
    const { id } = await outbox.send(sent);
    expect(id).toMatch(/^eml_[0-9a-z]{26}$/);
    expect(await getOutboxMessage(database.db, id)).toEqual({
      id,
      from,
      ...sent,
      createdAt: expect.any(Date) as Date,
    });
    expect(await getOutboxMessage(database.db, "eml_01jd6z8s3ffx9v0w7y3k4q2m1n")).toBeNull();
  });

  it("lists newest first, filtered by recipient (case-insensitive), up to the limit", async () => {
    const outbox = createOutboxProvider({ db: database.db, from });
    const ids: string[] = [];
    for (const to of ["ada@example.com", "grace@example.com", "Ada@Example.com", "ada@example.com"]) {
      ids.push((await outbox.send(welcome(to))).id);
    }
    expect((await listOutbox(database.db)).map((email) => email.id)).toEqual([...ids].reverse());
    expect((await listOutbox(database.db, { to: "ADA@example.com" })).map((email) => email.id)).toEqual([
      ids[3],
      ids[2],
      ids[0],
    ]);
    expect((await listOutbox(database.db, { to: "ada@example.com", limit: 1 })).map((email) => email.id)).toEqual([
      ids[3],
    ]);
    expect(await listOutbox(database.db, { to: "nobody@example.com" })).toEqual([]);
  });
});
