import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderPasswordResetEmail, renderVerificationEmail } from "../src/index.ts";
import type { EmailProvider, OutgoingEmail } from "../src/index.ts";

/** What a provider delivered, read back from where it went (the outbox table, the fake Resend). */
export interface DeliveredEmail {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly template: string;
}

export interface EmailProviderHarness {
  readonly provider: EmailProvider;
  readonly from: string;
  /** Everything delivered since the harness was made, oldest first. */
  delivered(): Promise<DeliveredEmail[]>;
  close(): Promise<void>;
}

const message = (to: string): OutgoingEmail => ({
  to,
  ...renderVerificationEmail({ name: "Ada Lovelace", url: "https://agentbot.example/verify?token=abc&x=1" }),
});

/** The behaviour every EmailProvider must have. Run against each implementation. */
export function describeEmailProvider(name: string, makeHarness: () => Promise<EmailProviderHarness>) {
  describe(`EmailProvider contract: ${name}`, () => {
    let harness: EmailProviderHarness;
    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      await harness.close();
    });

    it("delivers exactly the message it was given, from the configured sender", async () => {
      const sent = message("ada@example.com");
      const { id } = await harness.provider.send(sent);
      expect(id).toEqual(expect.any(String));
      expect(id.length).toBeGreaterThan(0);
      expect(await harness.delivered()).toEqual([
        {
          id,
          from: harness.from,
          to: sent.to,
          subject: sent.subject,
          html: sent.html,
          text: sent.text,
          template: "verification",
        },
      ]);
    });

    it("answers a different id for each message and keeps them apart", async () => {
      const reset = {
        to: "grace@example.com",
        ...renderPasswordResetEmail({
          name: "Grace",
          url: "https://agentbot.example/reset?token=t",
          expiresInMinutes: 30,
        }),
      };
      const first = await harness.provider.send(message("ada@example.com"));
      const second = await harness.provider.send(reset);
      expect(first.id).not.toBe(second.id);
      const delivered = await harness.delivered();
      expect(delivered.map((email) => [email.id, email.to, email.template])).toEqual([
        [first.id, "ada@example.com", "verification"],
        [second.id, "grace@example.com", "password_reset"],
      ]);
    });

    it("keeps non-ASCII text intact", async () => {
      const sent = { ...message("zoë@example.com"), subject: "Bestätige deine Adresse ✉️", text: "Grüße — 你好" };
      await harness.provider.send(sent);
      const [delivered] = await harness.delivered();
      expect([delivered?.to, delivered?.subject, delivered?.text]).toEqual([sent.to, sent.subject, sent.text]);
    });

    it("refuses a message it must not send, and sends nothing", async () => {
      const bad: OutgoingEmail[] = [
        { ...message("ada@example.com"), to: "not-an-address" },
        { ...message("ada@example.com"), to: "ada@example.com\r\nBcc: everyone@example.com" },
        { ...message("ada@example.com"), to: "ada@example.com, eve@example.com" },
        { ...message("ada@example.com"), subject: "Hello\r\nBcc: everyone@example.com" },
        { ...message("ada@example.com"), html: "" },
      ];
      for (const email of bad) await expect(harness.provider.send(email)).rejects.toThrow(/Email not sent/);
      expect(await harness.delivered()).toEqual([]);
    });
  });
}
