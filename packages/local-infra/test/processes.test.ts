import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  isProcessAlive,
  processesWithEnvironment,
  stopProcesses,
  stopProcessGroup,
  spawnProcessGroup,
} from "../src/index.ts";
import { childProcessEnv } from "../src/env.ts";

/** Starts a process that starts a detached grandchild (own session, like PostgreSQL's workers) and exits. */
async function orphanGrandchild(env: NodeJS.ProcessEnv): Promise<number> {
  const script = `
    const { spawn } = require("node:child_process");
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { detached: true, stdio: "ignore" });
    child.unref();
    process.stdout.write(String(child.pid));`;
  const parent = spawn(process.execPath, ["-e", script], { env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  parent.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await new Promise((resolve) => parent.once("exit", resolve));
  return Number(output);
}

describe("process helpers", () => {
  it("find an orphaned grandchild by an inherited marker variable, and stop it", async () => {
    const marker = `AGENTBOT_TEST_MARKER_${randomBytes(4).toString("hex")}`;
    const orphan = await orphanGrandchild(childProcessEnv({ [marker]: "1" }));
    expect(isProcessAlive(orphan)).toBe(true);
    expect(processesWithEnvironment(marker, "1")).toEqual([orphan]);
    await stopProcesses([orphan]);
    expect(isProcessAlive(orphan)).toBe(false);
    expect(processesWithEnvironment(marker, "1")).toEqual([]);
  });

  it("stopProcessGroup escalates to SIGKILL for a group that ignores SIGTERM", async () => {
    const stubborn = await spawnProcessGroup(process.execPath, [
      "-e",
      "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')",
    ]);
    await new Promise((resolve) => stubborn.child.stdout?.once("data", resolve));
    const forced = await stopProcessGroup({ pgid: stubborn.pid, graceMs: 300 });
    expect(forced).toBe(true);
    expect((await stubborn.exited).signal).toBe("SIGKILL");
  });
});
