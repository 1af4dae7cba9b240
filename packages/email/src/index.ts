// @agentbot/email: the email templates and where email goes (Resend, or the outbox table when no key is configured).
export { assertSendable } from "./email-provider.ts";
export type { EmailProvider, EmailTemplateName, OutgoingEmail, RenderedEmail } from "./email-provider.ts";
export { createResendProvider } from "./resend-provider.ts";
export type { ResendProviderOptions } from "./resend-provider.ts";
export { createOutboxProvider, getOutboxMessage, listOutbox } from "./outbox.ts";
export type { ListOutboxOptions, OutboxMessage, OutboxProviderOptions } from "./outbox.ts";
export { createEmailProvider } from "./create-email-provider.ts";
export type { CreateEmailProviderOptions } from "./create-email-provider.ts";
export { escapeHtml } from "./templates/layout.ts";
export { renderAccountExistsEmail } from "./templates/account-exists.ts";
export { renderPasswordResetEmail } from "./templates/password-reset.ts";
export { renderVerificationEmail } from "./templates/verification.ts";
export { renderWelcomeEmail } from "./templates/welcome.ts";
