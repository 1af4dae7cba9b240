import type { RenderedEmail } from "../email-provider.ts";
import { renderEmail } from "./layout.ts";

/** The link that confirms a new account's email address. */
export function renderVerificationEmail(input: { name: string; url: string }): RenderedEmail {
  return renderEmail({
    template: "verification",
    subject: "Confirm your email address",
    preheader: "One click to finish creating your Agentbot account.",
    heading: "Confirm your email address",
    name: input.name,
    intro: [
      "Thanks for signing up for Agentbot. Confirm that this is your email address to finish creating your account.",
    ],
    action: { label: "Confirm email address", url: input.url },
    outro: ["If you did not create an Agentbot account, you can ignore this email; no account will be activated."],
  });
}
