// The Resend API key must never reach an error message (which ends up in logs and error pages).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createResendProvider, renderWelcomeEmail } from "../src/index.ts";
import { startFakeResend } from "./fake-resend.ts";
import type { FakeResend } from "./fake-resend.ts";

const from = "Agentbot <hello@agentbot.example>";
const email = {
  to: "ada@example.com",
  ...renderWelcomeEmail({ name: "Ada", dashboardUrl: "https://agentbot.example/" }),
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("Resend API key redaction", () => {
  let fake: FakeResend;
  beforeEach(async () => {
    fake = await startFakeResend();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("keeps the key out of the error even when the API echoes it back", async () => {
    const provider = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: fake.baseUrl });
    fake.override({
      status: 401,
      body: JSON.stringify({ statusCode: 401, name: "restricted_api_key", message: `Key ${fake.apiKey} may not send` }),
    });
    const error = await rejection(provider.send(email));
    expect(error.message).toContain("401 restricted_api_key");
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(fake.apiKey);
    expect(JSON.stringify(error)).not.toContain(fake.apiKey);
  });

  it("keeps the key out of errors for unreachable servers and bad answers", async () => {
    const unreachable = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: "http://127.0.0.1:1" });
    const network = await rejection(unreachable.send(email));
    expect(network.message).not.toContain(fake.apiKey);

    const provider = createResendProvider({ apiKey: fake.apiKey, from, baseUrl: fake.baseUrl });
    fake.override({ status: 500, body: "not json" });
    const server = await rejection(provider.send(email));
    expect(server.message).not.toContain(fake.apiKey);
  });
});
