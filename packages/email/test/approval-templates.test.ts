import { describe, expect, it } from "vitest";
import { renderApprovalWaitingEmail } from "../src/index.ts";

const url = "https://agentbot.example/approvals";
const expiresAt = new Date("2026-12-03T14:05:00Z");

describe("approval_waiting", () => {
  it("names the agent, the class and the deadline of one request, links to the approvals page", () => {
    const email = renderApprovalWaitingEmail({
      name: "Ada",
      waiting: [{ agentName: "scout", classification: "destructive", expiresAt }],
      approvalsUrl: url,
    });
    expect(email.template).toBe("approval_waiting");
    expect(email.subject).toBe("An agent is waiting for your approval");
    expect(email.text).toContain("Your agent scout asked to run a command that needs your decision.");
    expect(email.text).toContain("- scout: a destructive command, to decide before 3 December 2026 at 14:05 UTC");
    expect(email.text).toContain(url);
    expect(email.html).toContain(`href="${url}"`);
  });

  it("counts several requests of several agents", () => {
    const email = renderApprovalWaitingEmail({
      name: "Ada",
      waiting: [
        { agentName: "scout", classification: "dangerous", expiresAt },
        { agentName: "scribe", classification: "safe", expiresAt },
      ],
      approvalsUrl: url,
    });
    expect(email.subject).toBe("2 agent commands are waiting for approval");
    expect(email.text).toContain("Your agents asked to run 2 commands that need your decision.");
  });

  it("refuses to render with nothing waiting", () => {
    expect(() => renderApprovalWaitingEmail({ name: "Ada", waiting: [], approvalsUrl: url })).toThrow(/at least one/);
  });
});
