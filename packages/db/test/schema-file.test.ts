import { describe, expect, it } from "vitest";
import { runPrismaCli } from "../scripts/generate.ts";

describe("prisma/schema.prisma", () => {
  it("is valid and formatted as `prisma format` writes it", async () => {
    const validate = await runPrismaCli(["validate"], { capture: true });
    expect(validate.output).toMatch(/is valid/);
    expect(validate.code).toBe(0);
    const format = await runPrismaCli(["format", "--check"], { capture: true });
    expect(format.output, "run: pnpm --filter @agentbot/db exec prisma format").not.toMatch(/unformatted/i);
    expect(format.code).toBe(0);
  });
});
