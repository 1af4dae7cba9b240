import { describeEngineDriver } from "@agentbot/engine/testing";
import { startFakeRailwayServer } from "../src/testing/index.ts";
import { driverFor, testSpec } from "./railway-fixtures.ts";

// The shared EngineDriver contract, run against the Railway driver talking real HTTP to the local Railway (built
// from Railway's schema), whose deployments run the engine package's fake OpenClaw runtime as processes.
describeEngineDriver("railway", async () => {
  const server = await startFakeRailwayServer({ phaseMs: 5, healthPollMs: 20 });
  const driver = driverFor(server);
  return {
    driver,
    makeSpec: testSpec,
    crash: (ref) => server.crash(ref.serviceId),
    cleanup: async () => {
      await driver.close();
      await server.close();
    },
  };
});
