// `pnpm --filter @agentbot/db generate` (turbo task @agentbot/db#generate): runs `prisma generate`, writing the
// client into src/generated/prisma. Works offline: the CLI gets a stub in place of the native schema engine it
// would otherwise download (generate never runs it) and telemetry is off.
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

async function main(): Promise<number> {
  const env = loadToolingEnv();
  let engine = env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (engine === undefined) {
    await mkdir(path.dirname(stubPath), { recursive: true });
    await writeFile(stubPath, stubScript);
    await chmod(stubPath, 0o755);
    engine = stubPath;
  }
  const cli = fileURLToPath(import.meta.resolve("prisma/build/index.js"));
  const child = spawn(process.execPath, [cli, "generate", "--config", "prisma.config.ts"], {
    cwd: packageDir,
    stdio: "inherit",
    env: childProcessEnv({
      PRISMA_SCHEMA_ENGINE_BINARY: engine,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    }),
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

process.exitCode = await main();
