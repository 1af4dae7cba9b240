import type { RenderedEmail } from "../email-provider.ts";
import { assertLinkUrl, renderEmail } from "./layout.ts";

/**
 * Sent instead of a verification email when someone signs up with an address that already has an account, so the
 * sign-up response can be the same either way (it does not reveal who is registered) while the owner still learns
 * about it.
 */
export function renderAccountExistsEmail(input: {
  name: string;
  signInUrl: string;
  resetPasswordUrl: string;
}): RenderedEmail {
  const resetPasswordUrl = assertLinkUrl(input.resetPasswordUrl, "account_exists reset link");
  return renderEmail({
    template: "account_exists",
    subject: "You already have an Agentbot account",
    preheader: "Someone tried to sign up with this email address.",
    heading: "You already have an account",
    name: input.name,
    intro: [
      "Someone, probably you, tried to create an Agentbot account with this email address. It already has one, so nothing was changed.",
    ],
    action: { label: "Sign in", url: input.signInUrl },
    outro: [
      `Forgot your password? Choose a new one here: ${resetPasswordUrl}`,
      "If this was not you, you can ignore this email.",
    ],
  });
}
