import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { FleetMessage, FleetRequest } from "./fleet-process.ts";

const FLEET_PROCESS = new URL("./fleet-process.ts", import.meta.url);

type RequestBody = FleetRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** Starts `count` fake runtimes in a child process and drives them over IPC. */
export async function startFleetProcess(count: number) {
  const child: ChildProcess = fork(FLEET_PROCESS, [String(count)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(child, "exit");
  const [ready] = (await Promise.race([
    once(child, "message"),
    exited.then(() => {
      throw new Error("the fleet process exited before it was ready");
    }),
  ])) as [FleetMessage];
  if (ready.type !== "ready") throw new Error(`fleet process: expected ready, got ${ready.type}`);
  let nextId = 1;
  const pending = new Map<number, (message: FleetMessage) => void>();
  child.on("message", (message: FleetMessage) => {
    if (message.type === "answer") {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const request = (body: RequestBody) =>
    new Promise<FleetMessage>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ ...body, id });
    });
  return {
    port: ready.port,
    pid: child.pid!,
    baseUrl: (index: number) => `http://127.0.0.1:${ready.port}/r/${index}`,
    async setHealthy(index: number, healthy: boolean) {
      await request({ type: "setHealthy", index, healthy });
    },
    /** CPU the fleet process used so far (user + system), in microseconds. */
    async cpuMicros(): Promise<number> {
      const answer = await request({ type: "cpu" });
      return answer.type === "answer" ? (answer.cpuMicros ?? 0) : 0;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await request({ type: "close" }).catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type FleetProcess = Awaited<ReturnType<typeof startFleetProcess>>;
