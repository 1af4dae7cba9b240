import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Lints committed fixture files with the real shared config and checks the project's own rules fire.
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const eslint = new ESLint({
  cwd: fixtures,
  overrideConfigFile: fileURLToPath(new URL("../index.js", import.meta.url)),
  ignore: false,
});

async function ruleIdsFor(file: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([`${fixtures}${file}`]);
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

describe("shared lint rules", () => {
  it("forbid process.env outside env modules, however it is spelled", async () => {
    expect(await ruleIdsFor("reads-env.ts")).toEqual(Array(3).fill("no-restricted-properties"));
  });

  it("allow process.env inside an env module", async () => {
    expect(await ruleIdsFor("src/env.ts")).toEqual([]);
  });

  it("forbid floating promises", async () => {
    expect(await ruleIdsFor("floating-promise.ts")).toContain("@typescript-eslint/no-floating-promises");
  });

  it("forbid shell strings (exec, execSync)", async () => {
    expect(await ruleIdsFor("shell-string.ts")).toEqual(["no-restricted-syntax", "no-restricted-syntax"]);
  });

  it("accept spawn with an argument array", async () => {
    expect(await ruleIdsFor("clean.ts")).toEqual([]);
  });
});
