import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RuntimeCommand } from "../../local/runtime-launcher.ts";
import type { OpenclawRuntime } from "../config.ts";

export interface ConfigValidation {
  readonly valid: boolean;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

/**
 * Runs the runtime's own `openclaw config validate --json` (the strict schema, ~1–2 s, no gateway boot) on a config
 * document, in a throwaway state dir inside `workDir`. The entry script is the first gateway argument of `command`.
 */
export async function validateOpenclawConfig(
  command: RuntimeCommand,
  runtime: OpenclawRuntime,
  workDir: string,
): Promise<ConfigValidation> {
  await mkdir(workDir, { recursive: true });
  const root = await mkdtemp(join(workDir, "validate-"));
  try {
    await writeFile(join(root, "openclaw.json"), runtime.openclawConfig, { mode: 0o600 });
    const entry = command.args(18789)[0];
    if (entry === undefined) throw new Error("the runtime command has no entry script");
    const result = await promisify(execFile)(command.command, [entry, "config", "validate", "--json"], {
      cwd: root,
      env: { PATH: "/usr/bin:/bin", ...command.env, ...runtime.env, OPENCLAW_STATE_DIR: root, HOME: root },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }));
    const parsed = JSON.parse(result.stdout) as { valid?: unknown; issues?: ConfigValidation["issues"] };
    return { valid: parsed.valid === true, issues: parsed.issues ?? [] };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
