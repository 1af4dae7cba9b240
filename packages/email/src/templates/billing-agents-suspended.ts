import type { RenderedEmail } from "../email-provider.ts";
import { oneLine, renderEmail } from "./layout.ts";

/** Sent when billing stops an account's agents (overdue payment, ended trial…). They are stopped, not deleted. */
export function renderBillingAgentsSuspendedEmail(input: {
  name: string;
  /** Why, as the end of a sentence: "your payment is overdue". */
  reason: string;
  /** The agents that were running and are now stopped. */
  agentNames: readonly string[];
  billingUrl: string;
}): RenderedEmail {
  const reason = oneLine(input.reason).replace(/[.!]+$/, "");
  if (reason === "") throw new Error("billing_agents_suspended reason must not be empty");
  const count = input.agentNames.length;
  const intro =
    count === 0
      ? [
          `Your agents are paused because ${reason}.`,
          "No agent was running, so none had to be stopped, but you cannot start one until this is resolved.",
        ]
      : [
          count === 1
            ? `We stopped your agent because ${reason}:`
            : `We stopped your ${count} agents because ${reason}:`,
        ];
  return renderEmail({
    template: "billing_agents_suspended",
    subject: count === 0 ? "Your Agentbot agents are paused" : "Your Agentbot agents were stopped",
    preheader: `Because ${reason}. Nothing was deleted.`,
    heading: count === 0 ? "Your agents are paused" : "Your agents were stopped",
    name: input.name,
    intro,
    list: input.agentNames,
    action: { label: "Go to billing", url: input.billingUrl },
    outro: [
      count === 0
        ? "Nothing was deleted: your agents keep their configuration and data."
        : "They were stopped, not deleted: they keep their configuration and data.",
      count === 0
        ? "As soon as the payment goes through, you can run them again."
        : "As soon as the payment goes through, they resume automatically.",
    ],
  });
}
