import type { RenderedEmail } from "../email-provider.ts";
import { renderEmail } from "./layout.ts";

/** The single-use link that sets a new password. */
export function renderPasswordResetEmail(input: {
  name: string;
  url: string;
  expiresInMinutes: number;
}): RenderedEmail {
  if (!Number.isInteger(input.expiresInMinutes) || input.expiresInMinutes < 1) {
    throw new Error("expiresInMinutes must be a positive whole number");
  }
  const expiresIn = formatMinutes(input.expiresInMinutes);
  return renderEmail({
    template: "password_reset",
    subject: "Reset your Agentbot password",
    preheader: `This link works once and expires in ${expiresIn}.`,
    heading: "Reset your password",
    name: input.name,
    intro: [
      "We received a request to reset the password of your Agentbot account.",
      `The link below works once and expires in ${expiresIn}. Setting a new password signs you out on every device.`,
    ],
    action: { label: "Choose a new password", url: input.url },
    outro: ["If you did not ask for this, ignore this email: your password stays as it is."],
  });
}

function formatMinutes(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
