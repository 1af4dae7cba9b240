// The package runs on Node 24's type stripping with no build step: prove it with plain `node`, outside vitest.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { envWithout } from "./env.ts";

function runNode(script: string, env: NodeJS.ProcessEnv = envWithout()) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "--eval", script], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const fileUrl = (relative: string) => JSON.stringify(new URL(relative, import.meta.url).href);

describe("plain node", () => {
  it("imports the generated Prisma client and the package entry point", async () => {
    const result = await runNode(`
      const generated = await import(${fileUrl("../src/generated/prisma/client.ts")});
      const db = await import(${fileUrl("../src/index.ts")});
      const client = db.createDb("postgresql://postgres@127.0.0.1:1/unused");
      console.log(typeof generated.PrismaClient, typeof client.backendInstance.findMany, db.newId("backendInstance").slice(0, 4));
      await client.$disconnect();
    `);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("function function bki_");
    expect(result.code).toBe(0);
  });

  it("fails with instructions when AGENTBOT_TEST_DATABASE_URL is missing", async () => {
    const result = await runNode(
      `const { testDatabaseAdminUrl } = await import(${fileUrl("../src/testing/index.ts")}); testDatabaseAdminUrl();`,
      envWithout("AGENTBOT_TEST_DATABASE_URL"),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/AGENTBOT_TEST_DATABASE_URL is not set\. Run the tests with `\.\/agentbot test`/);
  });
});
