import type { RenderedEmail } from "../email-provider.ts";
import { renderEmail } from "./layout.ts";

/** Sent when billing is back in order and the agents it stopped are running again. */
export function renderBillingAgentsResumedEmail(input: {
  name: string;
  /** The agents that were started again. */
  agentNames: readonly string[];
  agentsUrl: string;
}): RenderedEmail {
  const count = input.agentNames.length;
  const intro =
    count === 0
      ? ["Your billing is back in order and your account is active again. No agent needed to be restarted."]
      : [
          count === 1
            ? "Your billing is back in order, so we started your agent again:"
            : `Your billing is back in order, so we started your ${count} agents again:`,
        ];
  return renderEmail({
    template: "billing_agents_resumed",
    subject: count === 0 ? "Your Agentbot account is active again" : "Your Agentbot agents are running again",
    preheader: "Thanks: your billing is back in order.",
    heading: count === 0 ? "Your account is active again" : "Your agents are running again",
    name: input.name,
    intro,
    list: input.agentNames,
    action: { label: "Open your agents", url: input.agentsUrl },
    outro: ["Nothing was lost while they were stopped: configuration and data are as you left them."],
  });
}
