// Test helpers: a local Railway GraphQL server built from Railway's schema, for the Railway engine driver's tests
// and anyone testing code that provisions on Railway.
export { startFakeRailwayServer } from "./fake-railway-server.ts";
export type {
  FakeRailwayServer,
  FakeRailwayServerOptions,
  FakeRailwayState,
  RecordedRailwayRequest,
} from "./fake-railway-server.ts";
export { fakeRuntimeContainers, imageTag } from "./fake-railway-container.ts";
export type {
  FakeContainer,
  FakeContainerInput,
  FakeContainerLauncher,
  FakeDeploymentStatus,
  FakeLogLine,
} from "./fake-railway-world.ts";
