// Sends through Resend's HTTP API with the official SDK. The SDK never throws for API errors; it answers
// `{ data, error }`, which we turn into a rejected promise with a message that names the status and Resend's reason
// but never the API key.
import { Resend } from "resend";
import { assertSendable } from "./email-provider.ts";
import type { EmailProvider } from "./email-provider.ts";

export interface ResendProviderOptions {
  /** `re_…`; never logged, never part of an error message. */
  readonly apiKey: string;
  /** The sender, e.g. `Agentbot <hello@agentbot.example>`, on a domain verified in Resend. */
  readonly from: string;
  /**
   * The API's base URL. Default Resend's (`https://api.resend.com`; the SDK also honours `RESEND_BASE_URL`). Tests point
   * it at a local fake.
   */
  readonly baseUrl?: string;
  /** Give up on one request after this many ms. Default 10,000. */
  readonly timeoutMs?: number;
}

export function createResendProvider(options: ResendProviderOptions): EmailProvider {
  if (!options.apiKey) throw new Error("createResendProvider: apiKey is required");
  if (!options.from) throw new Error("createResendProvider: from is required");
  const { apiKey, from } = options;
  const client = new Resend(apiKey, options.baseUrl === undefined ? undefined : { baseUrl: options.baseUrl });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const redact = (text: string) => text.replaceAll(apiKey, "[redacted]");

  return {
    kind: "resend",
    async send(message) {
      assertSendable(message, from);
      let response: Awaited<ReturnType<typeof client.emails.send>>;
      try {
        response = await client.emails.send(
          {
            from,
            to: message.to,
            subject: message.subject,
            html: message.html,
            text: message.text,
            // Lets the Resend dashboard filter by template.
            tags: [{ name: "template", value: message.template }],
          },
          { signal: AbortSignal.timeout(timeoutMs) },
        );
      } catch (error) {
        // The SDK turns network errors into `error` answers, so this is rare; the cause holds no request headers.
        throw new Error(`Resend request failed: ${redact(error instanceof Error ? error.message : String(error))}`, {
          cause: error,
        });
      }
      if (response.error) {
        const { statusCode, name, message: reason } = response.error;
        const status = statusCode === null ? "no response" : `${statusCode} ${name}`;
        throw new Error(redact(`Resend rejected the email (${status}): ${reason}`));
      }
      const id = response.data?.id;
      if (typeof id !== "string" || id === "") throw new Error("Resend answered without an email id");
      return { id };
    },
  };
}
