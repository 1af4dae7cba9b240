import { execFile } from "node:child_process";
import { chmod, cp, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { findFreePort, isProcessAlive, isRoot, processDescendants } from "@agentbot/local-infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEnvironment } from "./env.ts";
import { spawnCaptured, waitForOutput } from "./support/captured-process.ts";

/**
 * The two commands from a checkout that only its owner may enter, as a new user has it: cloned under /root (mode 700
 * on Debian) or a `mktemp -d` folder (also 700). As root, PostgreSQL runs as the `postgres` user, which cannot enter
 * such a folder: the commands must still work without anyone changing a folder's permissions. The clone is made
 * from this repository (with its uncommitted changes) and set up by `./agentbot` itself, as a user would: it
 * installs its own pnpm and dependencies (from the local pnpm store, so quickly), then `./agentbot test --only infra`
 * and `./agentbot start --no-web` run there.
 */

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const bootDeadlineMs = 600_000;

let privateDir: string;
let systemDir: string;
let clone: string;

async function git(args: readonly string[], cwd = repoRoot): Promise<string> {
  return (await run("git", [...args], { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
}

/** `git clone` of this repository, plus its working tree's uncommitted changes (so the test checks this code). */
async function cloneWorkingTree(into: string): Promise<void> {
  await git(["clone", "--quiet", "--no-hardlinks", repoRoot, into]);
  const lines = (text: string) => text.split("\0").filter((line) => line !== "");
  for (const file of lines(await git(["ls-files", "-z", "--modified", "--others", "--exclude-standard"]))) {
    const from = path.join(repoRoot, file);
    if ((await lstat(from).catch(() => null)) === null) continue; // deleted: handled below
    await mkdir(path.dirname(path.join(into, file)), { recursive: true });
    await cp(from, path.join(into, file), { verbatimSymlinks: true });
  }
  for (const file of lines(await git(["ls-files", "-z", "--deleted"]))) {
    await rm(path.join(into, file), { force: true });
  }
}

/** What a person's shell would give `./agentbot`: no project variables, the system dir under this test's control. */
function cloneEnvironment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return startEnvironment({ AGENTBOT_SYSTEM_DIR: systemDir, CI: "true", ...overrides });
}

beforeAll(async () => {
  privateDir = await mkdtemp(path.join(tmpdir(), "agentbot-private-")); // mode 700, like /root
  const outer = await mkdtemp(path.join(tmpdir(), "agentbot-system-"));
  await chmod(outer, 0o755); // stands in for /var/lib, which everyone may enter
  systemDir = path.join(outer, "agentbot");
  clone = path.join(privateDir, "agentbot");
  await cloneWorkingTree(clone);
}, bootDeadlineMs);

afterAll(async () => {
  await rm(privateDir, { recursive: true, force: true });
  await rm(path.dirname(systemDir), { recursive: true, force: true });
});

describe("a clone under a folder only its owner may enter", () => {
  it("is a folder the postgres user cannot enter", async () => {
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
  });

  it(
    "./agentbot test --only infra starts PostgreSQL, Redis and Chromium there",
    { timeout: bootDeadlineMs },
    async () => {
      const infra = spawnCaptured(path.join(clone, "agentbot"), ["test", "--only", "infra"], {
        cwd: clone,
        env: cloneEnvironment(),
      });
      const exit = await infra.exited;
      expect(exit, infra.output()).toEqual({ code: 0, signal: null });
      expect(infra.output()).toMatch(/PostgreSQL: PostgreSQL started on port \d+/);
      expect(infra.output()).toMatch(/\n1 passed, 0 failed, 5 skipped\n/);
      if (isRoot()) {
        // The binaries in the clone are out of the server user's reach: it ran a copy made under the system dir.
        expect(infra.output()).toContain(`copying them to ${path.join(systemDir, "postgres-binaries")}`);
      }
    },
  );

  it("./agentbot start runs the platform there and Ctrl-C stops it", { timeout: bootDeadlineMs }, async () => {
    const backendPort = await findFreePort();
    const start = spawnCaptured(path.join(clone, "agentbot"), ["start", "--no-web"], {
      cwd: clone,
      env: cloneEnvironment({
        AGENTBOT_POSTGRES_PORT: String(await findFreePort()),
        AGENTBOT_BACKEND_PORT: String(backendPort),
        LOG_LEVEL: "warn",
      }),
    });
    try {
      await waitForOutput(start, /Agentbot is running/, bootDeadlineMs);
      const ready = await fetch(`http://127.0.0.1:${backendPort}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { postgres: { status: "ok" } } });

      const dataLink = path.join(clone, ".data", "postgres");
      if (isRoot()) {
        // .data/postgres stays where the README says, as a link to a cluster the server user owns and can reach.
        expect((await lstat(dataLink)).isSymbolicLink()).toBe(true);
        const cluster = await readlink(dataLink);
        expect(cluster.startsWith(path.join(systemDir, "postgres") + path.sep)).toBe(true);
        expect(start.output()).toContain(`data in ${cluster}`);
        expect(await readFile(path.join(cluster, "PG_VERSION"), "utf8")).toMatch(/^18/);
      } else {
        expect((await lstat(path.join(dataLink, "PG_VERSION"))).isFile()).toBe(true);
      }
      expect((await stat(privateDir)).mode & 0o777).toBe(0o700);

      const family = [start.pid, ...processDescendants(start.pid)];
      start.child.kill("SIGINT");
      expect(await start.exited).toEqual({ code: 0, signal: null });
      expect(family.filter(isProcessAlive)).toEqual([]);
    } finally {
      if (start.child.exitCode === null && start.child.signalCode === null) {
        start.child.kill("SIGINT");
        await start.exited;
      }
    }
  });
});
