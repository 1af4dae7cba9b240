/** The emails Agentbot sends. Each has a render function in `templates/`. */
export type EmailTemplateName =
  | "verification"
  | "password_reset"
  | "welcome"
  | "account_exists"
  | "billing_receipt"
  | "billing_payment_failed"
  | "billing_trial_ending"
  | "billing_agents_suspended"
  | "billing_agents_resumed"
  | "billing_usdc_invoice"
  | "approval_waiting";

export interface OutgoingEmail {
  /** One recipient address. */
  to: string;
  subject: string;
  html: string;
  text: string;
  template: EmailTemplateName;
}

/** What a template renders: everything but the recipient. */
export type RenderedEmail = Omit<OutgoingEmail, "to">;

/**
 * Where email goes. Two implementations pass one contract suite (`test/contract.ts`): Resend (`RESEND_API_KEY` set) and
 * the outbox table (otherwise), which keeps every message in PostgreSQL for development and tests.
 */
export interface EmailProvider {
  readonly kind: "resend" | "outbox";
  /** Sends (or stores) one message; resolves with the provider's id for it, rejects with a readable Error. */
  send(message: OutgoingEmail): Promise<{ id: string }>;
}

// Deliberately simple: one address, no display name, no whitespace or line breaks (which could smuggle headers into
// a mail server that builds them from our fields), a dot in the domain.
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const LINE_BREAK = /[\r\n]/;

/** Throws a clear Error when a message could not be sent as it is. Both providers call it before doing anything. */
export function assertSendable(message: OutgoingEmail, from: string): void {
  if (typeof message.to !== "string" || message.to.length > 320 || !ADDRESS.test(message.to)) {
    throw new Error("Email not sent: the recipient is not a single valid email address");
  }
  if (LINE_BREAK.test(from)) throw new Error("Email not sent: the sender contains a line break");
  if (!message.subject || LINE_BREAK.test(message.subject)) {
    throw new Error("Email not sent: the subject is empty or contains a line break");
  }
  if (!message.html || !message.text) throw new Error("Email not sent: both an HTML and a text body are required");
}
