import type { RenderedEmail } from "../email-provider.ts";
import { formatEmailDateTime, oneLine, renderEmail } from "./layout.ts";

/**
 * Sent when agents' commands have waited for a decision for a few minutes (APPROVAL_NOTIFY_AFTER_SECONDS). It says
 * which agent asks, how risky each command is and until when it can be decided, but not the commands themselves:
 * a command line may carry whatever the model put in it, and the approvals page shows it to the signed-in owner.
 */
export function renderApprovalWaitingEmail(input: {
  name: string;
  waiting: readonly {
    readonly agentName: string;
    readonly classification: "safe" | "dangerous" | "destructive";
    readonly expiresAt: Date;
  }[];
  approvalsUrl: string;
}): RenderedEmail {
  const count = input.waiting.length;
  if (count === 0) throw new Error("approval_waiting needs at least one waiting request");
  const agents = [...new Set(input.waiting.map((entry) => oneLine(entry.agentName)))];
  const who = agents.length === 1 ? `Your agent ${agents[0]}` : "Your agents";
  const what = count === 1 ? "a command" : `${count} commands`;
  return renderEmail({
    template: "approval_waiting",
    subject: count === 1 ? "An agent is waiting for your approval" : `${count} agent commands are waiting for approval`,
    preheader: `${who} asked to run ${what}; nothing runs until you decide.`,
    heading: count === 1 ? "A command is waiting for you" : "Commands are waiting for you",
    name: input.name,
    intro: [
      `${who} asked to run ${what} that ${count === 1 ? "needs" : "need"} your decision. Nothing runs until you approve it.`,
    ],
    list: input.waiting.map(
      (entry) =>
        `${oneLine(entry.agentName)}: a ${entry.classification} command, to decide before ${formatEmailDateTime(entry.expiresAt, "approval_waiting expiresAt")}`,
    ),
    action: { label: "Review the requests", url: input.approvalsUrl },
    outro: ["A request nobody decides in time is denied: the command does not run."],
  });
}
