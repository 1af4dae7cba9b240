import { createLocalDriver, createOpenclawLauncher } from "@agentbot/engine";
import type { EngineDriver, RuntimeLauncher } from "@agentbot/engine";
import { fakeRuntimeLauncher } from "@agentbot/engine/testing/fake";
import { createRailwayDriver } from "@agentbot/railway";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";

/** Health deadlines per engine when HEALTH_DEADLINE_MS is not set: a local OpenClaw boots in ~10–20 s on 2 cores
 * (longer on the first run, which installs it); a Railway deployment pulls an image first. */
const DEFAULT_HEALTH_DEADLINE_MS = { local: 5 * 60_000, railway: 15 * 60_000 } as const;

export function healthDeadlineFor(env: Env): number {
  return env.HEALTH_DEADLINE_MS ?? DEFAULT_HEALTH_DEADLINE_MS[env.AGENTBOT_ENGINE];
}

/** The one engine driver this backend provisions on, chosen by AGENTBOT_ENGINE. */
export function createEngineDriver(env: Env, logger: Logger): EngineDriver {
  const engineLogger = logger.child({ component: "engine", engine: env.AGENTBOT_ENGINE });
  if (env.AGENTBOT_ENGINE === "railway") {
    // env.ts has already refused to start without these three.
    return createRailwayDriver({
      endpoint: env.RAILWAY_API_URL,
      token: env.RAILWAY_API_TOKEN!,
      projectId: env.RAILWAY_PROJECT_ID!,
      environmentId: env.RAILWAY_ENVIRONMENT_ID!,
      image: (runtimeVersion: string) => `${env.RAILWAY_RUNTIME_IMAGE}:${runtimeVersion}`,
      logger: engineLogger,
    });
  }
  const launcher: RuntimeLauncher =
    env.AGENTBOT_LOCAL_RUNTIME === "fake"
      ? fakeRuntimeLauncher(
          env.AGENTBOT_FAKE_RUNTIME_BOOT_DELAY_MS === undefined
            ? {}
            : { env: { FAKE_RUNTIME_BOOT_DELAY_MS: String(env.AGENTBOT_FAKE_RUNTIME_BOOT_DELAY_MS) } },
        )
      : createOpenclawLauncher({
          cacheDir: env.runtimeCacheDir,
          onProgress: (step: string, message: string) => engineLogger.info({ step }, message),
        });
  return createLocalDriver({
    rootDir: env.agentsDir,
    launcher,
    portBase: env.AGENTBOT_LOCAL_PORT_BASE,
    logger: engineLogger,
  });
}
