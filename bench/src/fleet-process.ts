// A fleet of fake OpenClaw runtimes in its own process (`fork`ed by bench/health-poller.ts), so the CPU the
// benchmark reports for a poll cycle is the poller's own and not the cost of answering its probes.
// Messages in: setHealthy {index, healthy}, cpu, close. Out: ready {port}, and an answer with the same id for each.
import { startFakeRuntimeFleet } from "@agentbot/engine/testing/fake";

export type FleetRequest =
  | { readonly id: number; readonly type: "setHealthy"; readonly index: number; readonly healthy: boolean }
  | { readonly id: number; readonly type: "cpu" }
  | { readonly id: number; readonly type: "close" };

export type FleetMessage =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "answer"; readonly id: number; readonly cpuMicros?: number };

const count = Number(process.argv[2]);
const send = (message: FleetMessage) => process.send?.(message);

const fleet = await startFakeRuntimeFleet({ count });
process.on("message", (request: FleetRequest) => {
  if (request.type === "setHealthy") {
    fleet.setHealthy(request.index, request.healthy);
    send({ type: "answer", id: request.id });
  } else if (request.type === "cpu") {
    const usage = process.cpuUsage();
    send({ type: "answer", id: request.id, cpuMicros: usage.user + usage.system });
  } else {
    void fleet.close().finally(() => {
      send({ type: "answer", id: request.id });
      process.disconnect();
    });
  }
});
// The parent went away without saying close: do not linger.
process.on("disconnect", () => void fleet.close().finally(() => process.exit(0)));
send({ type: "ready", port: fleet.port });
