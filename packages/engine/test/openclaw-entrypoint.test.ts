import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, copyFile, link, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenclawRuntime } from "../src/openclaw/config.ts";

// The runtime image's entrypoint (docker/runtime-entrypoint.mjs), run directly with a fake gateway in place of
// openclaw.mjs (AGENTBOT_RUNTIME_EXEC). The image itself is not built here (no Docker on this machine): what the
// image adds around the script (tini, the openclaw install, the user) is only covered by reading the Dockerfile.

const entrypoint = resolve(import.meta.dirname, "../../../docker/runtime-entrypoint.mjs");

// Reports what it was started with, as the gateway would see it.
const fakeGatewaySource = `
import { readFileSync, statSync } from "node:fs";
const state = process.env.OPENCLAW_STATE_DIR;
const config = state + "/openclaw.json";
process.stdout.write(JSON.stringify({
  argv: process.argv.slice(2),
  pid: process.pid,
  uid: process.getuid(),
  cwd: process.cwd(),
  env: process.env,
  stateMode: statSync(state).mode & 0o777,
  configMode: statSync(config).mode & 0o777,
  configUid: statSync(config).uid,
  config: readFileSync(config, "utf8"),
}));
process.exitCode = Number(process.env.FAKE_GATEWAY_EXIT_CODE ?? 0);
`;

interface FakeReport {
  argv: string[];
  pid: number;
  uid: number;
  cwd: string;
  env: Record<string, string>;
  stateMode: number;
  configMode: number;
  configUid: number;
  config: string;
}

let root: string;
let fakeGateway: string;
const runtime = buildOpenclawRuntime({
  agentId: "agt_entrypoint_test",
  gatewayToken: "gw_entrypoint_test_token_0123456789abcdef",
  bind: "lan",
  model: { provider: "openai", model: "gpt-4.1-mini", apiKey: "sk-entrypoint-test-key" },
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-entrypoint-test-"));
  // Traversable, so the privilege-drop case (another user) can reach the fake and its state dir.
  await chmod(root, 0o755);
  fakeGateway = join(root, "fake-gateway.mjs");
  await writeFile(fakeGateway, fakeGatewaySource, { mode: 0o644 });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function runEntrypoint(
  env: Record<string, string>,
  node = process.execPath,
): Promise<{ code: number | null; pid: number; stdout: string; stderr: string }> {
  const child = spawn(node, [entrypoint], {
    env: { PATH: "/usr/bin:/bin", AGENTBOT_RUNTIME_EXEC: fakeGateway, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolveExit) => child.once("exit", resolveExit));
  return { code, pid: child.pid ?? -1, stdout, stderr };
}

describe("runtime image entrypoint", () => {
  it("writes AGENTBOT_OPENCLAW_CONFIG as openclaw.json (0600, state dir 0700) and runs the gateway on lan:18789", async () => {
    const stateDir = join(root, "first", "data", ".openclaw");
    const result = await runEntrypoint({
      ...runtime.env,
      OPENCLAW_STATE_DIR: stateDir,
      AGENTBOT_OPENCLAW_CONFIG: runtime.openclawConfig,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as FakeReport;
    expect(report.argv).toEqual(["gateway", "--bind", "lan", "--port", "18789"]);
    // A child it supervises (its exit line tells Railway's logs why it stopped).
    expect(report.pid).not.toBe(result.pid);
    expect(result.stderr).toContain("openclaw gateway exited with code 0");
    expect(report.cwd).toBe(stateDir);
    expect(report.stateMode).toBe(0o700);
    expect(report.configMode).toBe(0o600);
    expect(report.config.trim()).toBe(runtime.openclawConfig.trim());
    expect(report.env.OPENCLAW_STATE_DIR).toBe(stateDir);
    expect(report.env.OPENCLAW_GATEWAY_TOKEN).toBe(runtime.env.OPENCLAW_GATEWAY_TOKEN);
    expect(report.env.OPENAI_API_KEY).toBe("sk-entrypoint-test-key");
    expect(report.env.AGENTBOT_OPENCLAW_CONFIG).toBeUndefined();
    expect(report.env.AGENTBOT_RUNTIME_EXEC).toBeUndefined();
    expect(result.stderr).not.toContain("sk-entrypoint-test-key");
  });

  it("replaces an existing config (and its loose mode) on every start; keeps it when the variable is absent", async () => {
    const stateDir = join(root, "replace", ".openclaw");
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, "openclaw.json"), '{"old":true}\n', { mode: 0o644 });
    const replaced = await runEntrypoint({ OPENCLAW_STATE_DIR: stateDir, AGENTBOT_OPENCLAW_CONFIG: '{"gateway":{}}' });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect((JSON.parse(replaced.stdout) as FakeReport).config).toBe('{"gateway":{}}\n');
    expect((await stat(join(stateDir, "openclaw.json"))).mode & 0o777).toBe(0o600);

    const kept = await runEntrypoint({ OPENCLAW_STATE_DIR: stateDir });
    expect(kept.code, kept.stderr).toBe(0);
    expect((JSON.parse(kept.stdout) as FakeReport).config).toBe('{"gateway":{}}\n');
    expect(kept.stderr).toContain("keeping");
  });

  it.each([
    ["not JSON", "{gateway: secret-ish"],
    ["not an object", '["gateway"]'],
  ])("exits 78 without starting the gateway when the config is %s", async (_what, value) => {
    const stateDir = join(root, `bad-${_what.replace(/\W/g, "")}`, ".openclaw");
    const result = await runEntrypoint({ OPENCLAW_STATE_DIR: stateDir, AGENTBOT_OPENCLAW_CONFIG: value });
    expect(result.code).toBe(78);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("AGENTBOT_OPENCLAW_CONFIG");
    expect(result.stderr).not.toContain("secret-ish");
    expect(existsSync(join(stateDir, "openclaw.json"))).toBe(false);
  });

  it("passes the gateway's exit code on and names it in a log line (how Railway's logs tell 78 from a crash)", async () => {
    const result = await runEntrypoint({
      ...runtime.env,
      OPENCLAW_STATE_DIR: join(root, "refused", ".openclaw"),
      AGENTBOT_OPENCLAW_CONFIG: runtime.openclawConfig,
      FAKE_GATEWAY_EXIT_CODE: "78",
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("openclaw gateway exited with code 78");
  });

  it("exits 78 when there is no config at all", async () => {
    const result = await runEntrypoint({ OPENCLAW_STATE_DIR: join(root, "none", ".openclaw") });
    expect(result.code).toBe(78);
    expect(result.stdout).toBe("");
  });

  // Only root can hand a volume to another user (what the image does: root-owned volume, gateway as `node`).
  it.runIf(process.getuid?.() === 0)(
    "started as root with AGENTBOT_RUNTIME_USER: hands the state dir to that user and runs the gateway as it",
    async () => {
      const stateDir = join(root, "drop", ".openclaw");
      await mkdir(join(root, "drop"), { mode: 0o755 });
      await mkdir(stateDir, { mode: 0o755 });
      await writeFile(join(stateDir, "left-by-root.json"), "{}\n");
      // The entrypoint starts the gateway with its own Node, as `nobody`: in the image Node is in /usr/local; here it
      // must be one `nobody` can run, not the checkout's (a checkout may sit under a folder only root can enter).
      const node = join(root, "node");
      await link(process.execPath, node).catch(() => copyFile(process.execPath, node));
      const result = await runEntrypoint(
        {
          OPENCLAW_STATE_DIR: stateDir,
          AGENTBOT_OPENCLAW_CONFIG: runtime.openclawConfig,
          AGENTBOT_RUNTIME_USER: "nobody",
        },
        node,
      );
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as FakeReport;
      const nobody = (await readFile("/etc/passwd", "utf8")).split("\n").find((line) => line.startsWith("nobody:"));
      const nobodyUid = Number(nobody?.split(":")[2]);
      expect(report.uid).toBe(nobodyUid);
      expect(report.configUid).toBe(nobodyUid);
      expect(report.configMode).toBe(0o600);
      expect((await stat(join(stateDir, "left-by-root.json"))).uid).toBe(nobodyUid);
      expect(report.env.AGENTBOT_RUNTIME_USER).toBeUndefined();
    },
  );
});
