import type { RenderedEmail } from "../email-provider.ts";
import type { EmailFact } from "./layout.ts";
import { formatEmailDate, oneLine, renderEmail } from "./layout.ts";

/**
 * Sent when a card payment did not go through: either it failed, or the bank wants the customer to confirm it (3-D
 * Secure). The agents keep running through the grace period, then are paused; nothing is deleted.
 */
export function renderBillingPaymentFailedEmail(input: {
  name: string;
  /** Already formatted for display: "$49.00". */
  amount: string;
  /** True when the bank asks the customer to confirm the payment rather than the payment having failed. */
  actionRequired: boolean;
  /** When the agents are paused if the payment has not gone through; null when there is no grace period to tell. */
  graceEndsAt: Date | null;
  fixUrl: string;
}): RenderedEmail {
  const amount = oneLine(input.amount);
  if (amount === "") throw new Error("billing_payment_failed amount must not be empty");
  const graceEnds =
    input.graceEndsAt === null ? null : formatEmailDate(input.graceEndsAt, "billing_payment_failed graceEndsAt");
  const facts: EmailFact[] = [{ label: "Amount", value: amount }];
  if (graceEnds !== null) facts.push({ label: "Agents keep running until", value: graceEnds });
  const consequence =
    graceEnds === null
      ? "Your agents keep running for now. If the payment does not go through, they will be paused."
      : `Your agents keep running until ${graceEnds}. If the payment has not gone through by then, they will be paused.`;
  return renderEmail({
    template: "billing_payment_failed",
    subject: input.actionRequired
      ? `Confirm your Agentbot payment of ${amount}`
      : `Your Agentbot payment of ${amount} failed`,
    preheader: input.actionRequired
      ? "Your bank asks you to confirm this payment."
      : "Update your payment method to keep your agents running.",
    heading: input.actionRequired ? "Your bank asks you to confirm a payment" : "Your payment failed",
    name: input.name,
    intro: [
      input.actionRequired
        ? `Your bank asks you to confirm the payment of ${amount} for your Agentbot subscription before it goes through.`
        : `We could not take the payment of ${amount} for your Agentbot subscription.`,
      consequence,
      "Nothing is deleted: paused agents keep their configuration and data, and start again once the payment goes through.",
    ],
    facts,
    action: input.actionRequired
      ? { label: "Confirm the payment", url: input.fixUrl }
      : { label: "Update payment method", url: input.fixUrl },
    outro: ["If you have already sorted this out, you can ignore this email."],
  });
}
