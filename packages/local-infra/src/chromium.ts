import { aptInstall, findExecutable, isExecutableFile, isRoot } from "./system.ts";
import type { Progress } from "./system.ts";

export const debianChromiumPath = "/usr/bin/chromium";

export interface EnsureChromiumOptions {
  /** A browser binary chosen by the caller (e.g. from AGENTBOT_CHROMIUM_PATH); used as is, never installed. */
  readonly executablePath?: string | undefined;
  readonly onProgress: Progress;
}

/**
 * Returns the path of a Chromium for browser tests. Playwright's own browser download cannot work on our machines, so
 * this is Debian's `chromium`: already at /usr/bin/chromium, or installed with apt-get when running as root.
 * Anything else fails with a message that says how to fix it.
 */
export async function ensureChromium(options: EnsureChromiumOptions): Promise<string> {
  const { executablePath, onProgress } = options;
  if (executablePath !== undefined) {
    if (isExecutableFile(executablePath)) return executablePath;
    throw new Error(`the Chromium given as ${executablePath} does not exist or is not executable.`);
  }
  const found = isExecutableFile(debianChromiumPath) ? debianChromiumPath : findExecutable("chromium");
  if (found !== null) return found;
  if (!isRoot()) {
    throw new Error(
      "Chromium is not installed (browser tests need it). Install it with `sudo apt-get install -y chromium` " +
        "(Debian/Ubuntu), or set AGENTBOT_CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  onProgress("Chromium not found: installing Debian's chromium (one time, ~20 s)…");
  await aptInstall(["chromium"], onProgress);
  if (!isExecutableFile(debianChromiumPath)) {
    throw new Error(`apt-get installed chromium but ${debianChromiumPath} is missing.`);
  }
  return debianChromiumPath;
}
