import type { RenderedEmail } from "../email-provider.ts";
import type { EmailFact } from "./layout.ts";
import { formatEmailDate, oneLine, renderEmail } from "./layout.ts";

const METHOD_LABEL = { card: "Card", usdc: "USDC" } as const;

/** Sent after each successful payment, by card or in USDC. */
export function renderBillingReceiptEmail(input: {
  name: string;
  method: "card" | "usdc";
  planName: string;
  /** Already formatted for display: "$49.00" or "49 USDC". */
  amount: string;
  /** The invoice id. */
  reference: string;
  periodEnd: Date | null;
  billingUrl: string;
}): RenderedEmail {
  const amount = oneLine(input.amount);
  if (amount === "") throw new Error("billing_receipt amount must not be empty");
  const planName = oneLine(input.planName);
  const method = METHOD_LABEL[input.method];
  const periodEnd = input.periodEnd === null ? null : formatEmailDate(input.periodEnd, "billing_receipt periodEnd");
  const facts: EmailFact[] = [
    { label: "Plan", value: planName },
    { label: "Amount", value: amount },
    { label: "Paid with", value: method },
    { label: "Reference", value: input.reference },
  ];
  if (periodEnd !== null) facts.push({ label: "Paid until", value: periodEnd });
  return renderEmail({
    template: "billing_receipt",
    subject: `Your Agentbot receipt: ${amount}`,
    preheader: `We received your payment of ${amount} for the ${planName} plan.`,
    heading: "Thanks for your payment",
    name: input.name,
    intro: [
      `We received your payment of ${amount} (${input.method === "card" ? "by card" : "in USDC"}) for the ${planName} plan.`,
      periodEnd === null ? "Keep this email as your receipt." : `Your plan is paid until ${periodEnd}.`,
    ],
    facts,
    action: { label: "View billing", url: input.billingUrl },
    outro: ["Reply to this email if anything on this receipt looks wrong."],
  });
}
