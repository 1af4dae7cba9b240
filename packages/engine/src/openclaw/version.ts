import { EngineError } from "../engine-driver.ts";

/** The OpenClaw release the platform runs unless an agent asks for another (npm version and image tag). */
export const RUNTIME_DEFAULT_VERSION = "2026.9.6";

/**
 * An OpenClaw version: `YYYY.M.D`, optionally with a prerelease suffix (`2026.9.1-beta.1`) as the agent contract's
 * `RuntimeVersion` allows. Checked before the version is used in a path or sent to a registry, so it can never name
 * another directory (`..`, `/`) or another package spec (`latest`, a URL, a git ref).
 */
export const RUNTIME_VERSION_PATTERN = /^\d{4}\.\d{1,2}\.\d{1,2}(-[0-9A-Za-z.]+)?$/;

export function assertRuntimeVersion(version: string): string {
  if (typeof version !== "string" || !RUNTIME_VERSION_PATTERN.test(version) || version.length > 64) {
    const shown = typeof version === "string" ? JSON.stringify(version.slice(0, 64)) : typeof version;
    throw new EngineError("invalid_config", `runtimeVersion: ${shown} is not an OpenClaw version such as 2026.9.6`);
  }
  return version;
}

/**
 * Whether a Node version (`24.21.0`) can run OpenClaw: its `engines` field says `>=24.16.0 <25 || >=26.1.0` (it needs
 * `node:sqlite`; Node 25 is not supported).
 */
export function nodeVersionRunsOpenclaw(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return (major === 24 && minor >= 16) || (major === 26 && minor >= 1) || major > 26;
}
