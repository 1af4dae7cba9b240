import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The environment the OpenClaw launcher (src/openclaw/) reads. Nothing else under src/openclaw reads `process.env`.
 */

/**
 * Where installed runtimes (Node, `openclaw@<version>`) are cached: `AGENTBOT_RUNTIME_CACHE_DIR` (absolute) or
 * `<repository root>/.data/cache` (git-ignored, shared by `./agentbot start` and the tests so a version installs once
 * per machine).
 */
export function runtimeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AGENTBOT_RUNTIME_CACHE_DIR;
  if (configured !== undefined && configured !== "") {
    if (!isAbsolute(configured)) {
      throw new Error(`AGENTBOT_RUNTIME_CACHE_DIR must be an absolute path, got "${configured}"`);
    }
    return configured;
  }
  return join(repositoryRoot(), ".data", "cache");
}

/**
 * The environment for the package installer (npm) and the install scripts it runs: only what reaching the registry
 * needs (HOME for ~/.npmrc and ~/.npm, npm's own settings, proxies, CA certificates, PATH, TMPDIR, locale), never the
 * rest of the backend's environment: install scripts are third-party code and must not see DATABASE_URL or keys.
 */
export function installerEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (INSTALLER_VARIABLES.has(name) || /^npm_config_/i.test(name)) passed[name] = value;
  }
  return passed;
}

const INSTALLER_VARIABLES = new Set([
  "PATH",
  "HOME",
  "TMPDIR",
  "LANG",
  "LC_ALL",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "CI",
]);

function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, "pnpm-workspace.yaml"))) return directory;
    const parent = resolve(directory, "..");
    if (parent === directory) {
      throw new Error("AGENTBOT_RUNTIME_CACHE_DIR is not set and no repository root (pnpm-workspace.yaml) was found");
    }
    directory = parent;
  }
}
