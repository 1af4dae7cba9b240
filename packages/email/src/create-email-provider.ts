import type { DbOrTx } from "@agentbot/db";
import type { EmailProvider } from "./email-provider.ts";
import { createOutboxProvider } from "./outbox.ts";
import { createResendProvider } from "./resend-provider.ts";

export interface CreateEmailProviderOptions {
  /** `RESEND_API_KEY`: when set (non-empty), email goes through Resend; otherwise into the outbox. */
  readonly resendApiKey?: string | undefined;
  readonly from: string;
  /** Where the outbox lives (used only without a Resend key). */
  readonly db: DbOrTx;
  /** Resend's API base URL; default Resend's own. */
  readonly resendBaseUrl?: string | undefined;
}

/** Resend when a key is configured, the outbox otherwise. */
export function createEmailProvider(options: CreateEmailProviderOptions): EmailProvider {
  if (options.resendApiKey) {
    return createResendProvider({
      apiKey: options.resendApiKey,
      from: options.from,
      ...(options.resendBaseUrl === undefined ? {} : { baseUrl: options.resendBaseUrl }),
    });
  }
  return createOutboxProvider({ db: options.db, from: options.from });
}
