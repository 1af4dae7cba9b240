// `pnpm --filter @agentbot/db generate` (turbo task @agentbot/db#generate): `prisma generate` writes the client into
// src/generated/prisma (git-ignored), as TypeScript that Node 24 runs directly.
//
// The Prisma CLI runs offline here: with a stub in place of the native schema engine it would otherwise download
// from Prisma's servers (generate, validate and format never run it) and with telemetry off. The file is also a
// module: tests import runPrismaCli to validate the schema.
import { spawn } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { childProcessEnv, loadToolingEnv } from "../src/env/tooling.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const stubPath = fileURLToPath(new URL("../node_modules/.cache/agentbot/prisma-schema-engine-stub", import.meta.url));

/** If anything ever runs the stub, it says why it cannot work instead of failing obscurely. */
const stubScript = `#!/bin/sh
echo "The native Prisma schema engine is not installed here. Create migrations with ./agentbot migrate:new <name>;" >&2
echo "the backend applies them at boot (packages/db/src/migrations)." >&2
exit 1
`;

async function schemaEngineBinary(): Promise<string> {
  const configured = loadToolingEnv().PRISMA_SCHEMA_ENGINE_BINARY;
  if (configured !== undefined) return configured;
  await mkdir(path.dirname(stubPath), { recursive: true });
  await writeFile(stubPath, stubScript);
  await chmod(stubPath, 0o755);
  return stubPath;
}

export interface PrismaCliResult {
  readonly code: number;
  readonly output: string;
}

/**
 * `prisma <args> --config prisma.config.ts` from this package's directory. Output goes to the terminal, or is
 * collected and returned with `capture`.
 */
export async function runPrismaCli(
  args: readonly string[],
  options: { capture?: boolean } = {},
): Promise<PrismaCliResult> {
  const cli = fileURLToPath(import.meta.resolve("prisma/build/index.js"));
  const child = spawn(process.execPath, [cli, ...args, "--config", "prisma.config.ts"], {
    cwd: packageDir,
    stdio: options.capture ? ["ignore", "pipe", "pipe"] : "inherit",
    env: childProcessEnv({
      PRISMA_SCHEMA_ENGINE_BINARY: await schemaEngineBinary(),
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    }),
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

if (import.meta.main) {
  const { code } = await runPrismaCli(["generate"]);
  process.exitCode = code;
}
