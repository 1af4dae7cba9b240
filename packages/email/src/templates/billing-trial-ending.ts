import type { RenderedEmail } from "../email-provider.ts";
import { formatEmailDate, oneLine, renderEmail } from "./layout.ts";

/** Sent a few days before a free trial ends. */
export function renderBillingTrialEndingEmail(input: {
  name: string;
  planName: string;
  trialEnd: Date;
  billingUrl: string;
}): RenderedEmail {
  const planName = oneLine(input.planName);
  const trialEnd = formatEmailDate(input.trialEnd, "billing_trial_ending trialEnd");
  return renderEmail({
    template: "billing_trial_ending",
    subject: `Your Agentbot trial ends on ${trialEnd}`,
    preheader: `Your ${planName} trial ends on ${trialEnd}.`,
    heading: "Your trial is ending soon",
    name: input.name,
    intro: [
      `Your free trial of the ${planName} plan ends on ${trialEnd}.`,
      "To keep your agents running after that, make sure a payment method is set up on the billing page.",
    ],
    facts: [
      { label: "Plan", value: planName },
      { label: "Trial ends", value: trialEnd },
    ],
    action: { label: "Review billing", url: input.billingUrl },
    outro: ["Questions about plans? Reply to this email."],
  });
}
