import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

describe("agentbot classify (the CLI)", () => {
  it("prints, per input line, the class in lower case, a tab and the reasons", () => {
    const input = `${["ls -la", "ls; rm -rf ~", "frobnicate", "echo 'open", ""].join("\n")}\n`;
    const run = spawnSync(process.execPath, [cli], { input, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.pop()).toBe(""); // every answer ends with a newline
    expect(lines).toHaveLength(5);
    const [first, second, third, fourth, fifth] = lines.map((line) => line.split("\t"));
    expect(first).toEqual(["safe", expect.stringContaining("`ls -la`")]);
    expect(second![0]).toBe("destructive");
    expect(second![1]).toContain("[rm-recursive] `rm -rf ~`");
    expect(third).toEqual(["dangerous", expect.stringContaining("frobnicate is not a known command")]);
    expect(fourth).toEqual(["destructive", expect.stringContaining("does not parse")]);
    expect(fifth).toEqual(["safe", expect.stringContaining("runs no command")]);
  });
});
