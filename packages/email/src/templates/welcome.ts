import type { RenderedEmail } from "../email-provider.ts";
import { renderEmail } from "./layout.ts";

/** Sent once the address is verified. */
export function renderWelcomeEmail(input: { name: string; dashboardUrl: string }): RenderedEmail {
  return renderEmail({
    template: "welcome",
    subject: "Welcome to Agentbot",
    preheader: "Your account is ready.",
    heading: "Welcome to Agentbot",
    name: input.name,
    intro: [
      "Your email address is confirmed and your account is ready.",
      "From the dashboard you can choose a plan, deploy your first agent and create API keys for your scripts.",
    ],
    action: { label: "Open your dashboard", url: input.dashboardUrl },
    outro: ["Reply to this email if anything gets in your way."],
  });
}
