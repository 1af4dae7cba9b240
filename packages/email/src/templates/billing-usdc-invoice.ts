import type { RenderedEmail } from "../email-provider.ts";
import { formatEmailDateTime, oneLine, renderEmail } from "./layout.ts";

const INTERVAL_LABEL = { month: "Monthly", year: "Yearly" } as const;

/** Sent when a USDC invoice is opened: what to send, to which address, on which network, and by when. */
export function renderBillingUsdcInvoiceEmail(input: {
  name: string;
  planName: string;
  interval: "month" | "year";
  /** Already formatted for display: "49 USDC". */
  amount: string;
  /** The deposit address for this invoice. */
  address: string;
  /** The network's display name: "Base". */
  networkLabel: string;
  expiresAt: Date;
  payUrl: string;
}): RenderedEmail {
  const amount = oneLine(input.amount);
  if (amount === "") throw new Error("billing_usdc_invoice amount must not be empty");
  const address = input.address.trim();
  if (address === "" || /\s/.test(address)) throw new Error("billing_usdc_invoice address must be a single word");
  const network = oneLine(input.networkLabel);
  if (network === "") throw new Error("billing_usdc_invoice networkLabel must not be empty");
  const planName = oneLine(input.planName);
  const expires = formatEmailDateTime(input.expiresAt, "billing_usdc_invoice expiresAt");
  return renderEmail({
    template: "billing_usdc_invoice",
    subject: `Your Agentbot invoice: ${amount}`,
    preheader: `Send ${amount} on ${network} before ${expires}.`,
    heading: "Your USDC invoice",
    name: input.name,
    intro: [
      `Here is your invoice for the ${planName} plan (${INTERVAL_LABEL[input.interval].toLowerCase()}).`,
      `To pay, send ${amount} to this address on the ${network} network: ${address}`,
      `Send only USDC on ${network} to this address. Other tokens, or USDC sent on another network, cannot be credited and may be lost.`,
      `This invoice expires on ${expires}; the payment must arrive before then.`,
    ],
    facts: [
      { label: "Plan", value: planName },
      { label: "Billing", value: INTERVAL_LABEL[input.interval] },
      { label: "Amount", value: amount },
      { label: "Network", value: network },
      { label: "Deposit address", value: address },
      { label: "Expires", value: expires },
    ],
    action: { label: "View the invoice", url: input.payUrl },
    outro: ["If you did not expect this invoice, you can ignore it: nothing is charged until you send the payment."],
  });
}
