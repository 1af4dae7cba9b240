import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fakeRuntimeLauncher } from "@agentbot/engine/testing";
import type { FakeContainer, FakeContainerLauncher } from "./fake-railway-world.ts";

/**
 * The default container stand-in: the engine package's fake OpenClaw runtime as a real process, started as the
 * runtime image would start OpenClaw (`gateway --bind loopback --port <P>`) with exactly the container's environment
 * (the service's variables; nothing from this process). The version it reports is the image tag, so a redeploy to
 * another image shows up on /startupz. Its stdout and stderr become the deployment's logs; when it exits on its own the
 * world is told (→ CRASHED). The line "openclaw gateway exited with code <n>" stands for what the runtime image's
 * entrypoint prints when the gateway ends, the only place an exit code reaches Railway's logs.
 */
export function fakeRuntimeContainers(): FakeContainerLauncher {
  const launcher = fakeRuntimeLauncher();
  return async (input) => {
    const version = imageTag(input.image);
    const command = await launcher.prepare(version);
    const port = await freePort();
    const child = spawn(command.command, [...command.args(port)], {
      env: { ...input.env, ...command.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
      child.once("error", (error) => {
        input.log(`container failed to start: ${error.message}`, "error");
        resolve(null);
      });
    });
    createInterface({ input: child.stdout }).on("line", (line) => input.log(line, "info"));
    createInterface({ input: child.stderr }).on("line", (line) => input.log(line, "error"));
    let stopping = false;
    void exited.then((code) => {
      if (stopping) return;
      input.log(`openclaw gateway exited with code ${code ?? "unknown"}`, "error");
      input.onExit(code);
    });
    const container: FakeContainer = {
      url: new URL(`http://127.0.0.1:${port}`),
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        stopping = true;
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
      },
    };
    return container;
  };
}

/** `ghcr.io/agentbot/runtime:2026.9.6` → `2026.9.6`; an untagged image runs as `latest`. */
export function imageTag(image: string): string {
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  return colon === -1 ? "latest" : lastSegment.slice(colon + 1);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
