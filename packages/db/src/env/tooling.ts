import { z } from "zod";

/**
 * Environment of this package's developer tools (scripts/generate.ts). Read only here: lint forbids `process.env`
 * elsewhere.
 */
const ToolingEnvSchema = z.object({
  /**
   * An existing file for the Prisma CLI to treat as its native schema engine. `prisma generate` never runs the
   * engine but wants the file to exist, and would otherwise try to download it. Unset: generate.ts writes a stub.
   */
  PRISMA_SCHEMA_ENGINE_BINARY: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
});

export type ToolingEnv = z.infer<typeof ToolingEnvSchema>;

export function loadToolingEnv(): ToolingEnv {
  const result = ToolingEnvSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  return result.data;
}

/** This process's environment plus `overrides`, for a child process (PATH, HOME… pass through unchanged). */
export function childProcessEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
