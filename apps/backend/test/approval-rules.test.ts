import { describe, expect, it } from "vitest";
import { approvalSource, policyOutcome } from "../src/approvals/approval-rules.ts";

// The decision table of the exec policies (issue 11, "Decisions"): who decides a command of each class.
describe("policyOutcome", () => {
  it.each([
    ["strict", "safe", "needs_human"],
    ["strict", "dangerous", "needs_human"],
    ["strict", "destructive", "needs_human"],
    ["balanced", "safe", "auto_approve"],
    ["balanced", "dangerous", "needs_human"],
    ["balanced", "destructive", "needs_human"],
    ["permissive", "safe", "auto_approve"],
    ["permissive", "dangerous", "auto_approve"],
    ["permissive", "destructive", "needs_human"],
  ] as const)("%s + %s → %s", (policy, commandClass, outcome) => {
    expect(policyOutcome(policy, commandClass)).toBe(outcome);
  });

  it("an unknown policy is treated as strict (fail closed)", () => {
    for (const commandClass of ["safe", "dangerous", "destructive"] as const) {
      expect(policyOutcome("yolo", commandClass)).toBe("needs_human");
      expect(policyOutcome("", commandClass)).toBe("needs_human");
    }
  });
});

describe("approvalSource", () => {
  it("reads the run's origin off the runtime's session key and turn source, else unknown", () => {
    expect(approvalSource("agent:main:openai-user:usr_1", null)).toBe("chat");
    expect(approvalSource(null, "webchat")).toBe("chat");
    expect(approvalSource("agent:main:a2a:bus:ctx", null)).toBe("api");
    expect(approvalSource(null, "telegram")).toBe("channel");
    expect(approvalSource("agent:main:main", null)).toBe("unknown");
    expect(approvalSource(null, null)).toBe("unknown");
  });
});
