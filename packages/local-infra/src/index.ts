export { startEmbeddedPostgres, waitForPostgres } from "./postgres.ts";
export { defaultSystemDir } from "./postgres-placement.ts";
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from "./postgres.ts";
export { ensureRedisServerBinary, pingRedis, startRedisServer } from "./redis.ts";
export type { RedisServer, RedisServerOptions } from "./redis.ts";
export { debianChromiumPath, ensureChromium } from "./chromium.ts";
export type { EnsureChromiumOptions } from "./chromium.ts";
export { findFreePort, isPortFree, isTcpReachable } from "./ports.ts";
export {
  forEachLine,
  isProcessAlive,
  isSameProcess,
  LineTail,
  processDescendants,
  processGroupMembers,
  processesWithEnvironment,
  processStartTime,
  spawnProcessGroup,
  spawnServer,
  stopProcesses,
  stopProcessGroup,
  waitUntil,
} from "./processes.ts";
export type { GroupProcess, ProcessExit, ServerProcess, StopProcessGroupOptions } from "./processes.ts";
export { aptInstall, findExecutable, isRoot, runCommand } from "./system.ts";
export type { Progress } from "./system.ts";
