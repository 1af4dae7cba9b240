import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import {
  ensureChromium,
  ensureRedisServerBinary,
  findFreePort,
  isTcpReachable,
  spawnProcessGroup,
  startEmbeddedPostgres,
  startRedisServer,
  stopProcessGroup,
  waitForPostgres,
} from "@agentbot/local-infra";
import { childEnv, loadPlatformEnv } from "./env.ts";
import type { PlatformEnv } from "./env.ts";
import { log, paint, redactUrl, seconds, setColor } from "./lib/log.ts";
import { paths, repoRoot } from "./lib/paths.ts";
import { describeExit, ShuttingDown, Supervisor } from "./lib/supervisor.ts";

/**
 * `./agentbot test` (and CI's .ci/run): every check, in order, with a header per stage and a summary whose last line
 * is `N passed, N failed` (stages). Stages: prettier; typecheck + lint of the packages (turbo) and of scripts/;
 * test infrastructure (PostgreSQL and Redis from DATABASE_URL/REDIS_URL or started here, Chromium); vitest (all
 * projects); Playwright (apps/web). A missing dependency fails its stage with a message saying how to fix it.
 * Infrastructure is always stopped, also on Ctrl-C.
 */

const groups = ["static", "infra", "vitest", "playwright"] as const;
type Group = (typeof groups)[number];

const usage = `Usage: ./agentbot test [--only static|infra|vitest|playwright]...
  --only static      prettier, typecheck and lint only
  --only infra       provide the test infrastructure (PostgreSQL, Redis, Chromium), check it, stop it
  --only vitest      test infrastructure + vitest (all projects)
  --only playwright  test infrastructure + Chromium + Playwright browser tests
Environment: DATABASE_URL (admin URL of a PostgreSQL to use instead of an embedded one), REDIS_URL (instead of a
  redis-server started here), AGENTBOT_CHROMIUM_PATH (instead of Debian's /usr/bin/chromium), AGENTBOT_SYSTEM_DIR
  (as root: where embedded PostgreSQL runs from when the checkout is out of the 'postgres' user's reach).`;

interface TestInfra {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly chromium: string | null;
}

interface Stage {
  readonly name: string;
  readonly group: Group;
  readonly run: () => Promise<void>;
}

type Outcome = { readonly stage: string; readonly status: "passed" | "failed" | "skipped"; readonly ms: number };

const supervisor = new Supervisor();
const outcomes: Outcome[] = [];
const startedAt = performance.now();

function parseCli(): Set<Group> {
  const { values } = parseArgs({
    options: { only: { type: "string", multiple: true }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const only = (values.only ?? []).flatMap((value) => value.split(","));
  for (const value of only) {
    if (!(groups as readonly string[]).includes(value)) {
      process.stderr.write(`unknown --only ${value}\n${usage}\n`);
      process.exit(2);
    }
  }
  return new Set(only.length === 0 ? groups : (only as Group[]));
}

/** Runs a command to completion in its own process group (so Ctrl-C stops all of it), output straight through. */
async function run(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  if (!existsSync(command)) {
    throw new Error(`${command} is missing: run ./agentbot again so it installs dependencies (pnpm install).`);
  }
  log.info(paint(`$ ${path.relative(repoRoot, command) || command} ${args.join(" ")}`, "dim"));
  const child = await spawnProcessGroup(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? childEnv({}),
    stdio: ["ignore", "inherit", "inherit"],
  });
  // SIGINT, as a terminal's Ctrl-C would send it: test runners then stop the servers they started.
  const stop = () => stopProcessGroup({ pgid: child.pid, signal: "SIGINT", graceMs: 10_000 }).then(() => undefined);
  const exit = await supervisor.while({ name, stop }, () => child.exited);
  // Whatever the command left behind in its group (servers it started) must not outlive it.
  await stop();
  if (exit.code !== 0) throw new Error(`${name} failed (${describeExit(exit)})`);
}

async function providePostgres(env: PlatformEnv): Promise<string> {
  if (env.DATABASE_URL !== undefined) {
    log.info(`PostgreSQL: using DATABASE_URL (${redactUrl(env.DATABASE_URL)}) as the admin URL`);
    try {
      await waitForPostgres(env.DATABASE_URL, 10_000);
    } catch (error) {
      throw new Error(
        `DATABASE_URL does not answer: ${String(error)}. Fix it, or unset it to use embedded PostgreSQL.`,
        {
          cause: error,
        },
      );
    }
    return env.DATABASE_URL;
  }
  const dir = await mkdtemp(path.join(tmpdir(), "agentbot-test-pg-"));
  // As root the server runs as 'postgres': a folder it can enter keeps the throwaway cluster here rather than under
  // AGENTBOT_SYSTEM_DIR (where it would go otherwise, see @agentbot/local-infra).
  await chmod(dir, 0o755);
  const server = await supervisor.start(async () => {
    try {
      const started = await startEmbeddedPostgres({
        dataDir: path.join(dir, "data"),
        port: await findFreePort(),
        password: randomBytes(16).toString("hex"),
        databases: [],
        ephemeral: true,
        ...(env.AGENTBOT_SYSTEM_DIR === undefined ? {} : { systemDir: env.AGENTBOT_SYSTEM_DIR }),
        onProgress: (message) => log.info(`PostgreSQL: ${message}`),
      });
      return {
        name: "PostgreSQL",
        url: started.url,
        stop: async () => {
          await started.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  });
  return server.url;
}

async function provideRedis(env: PlatformEnv): Promise<string> {
  if (env.REDIS_URL !== undefined) {
    const url = new URL(env.REDIS_URL);
    log.info(`Redis: using REDIS_URL (${redactUrl(env.REDIS_URL)})`);
    if (!(await isTcpReachable(url.hostname, Number(url.port || 6379)))) {
      throw new Error(
        `REDIS_URL does not answer (${redactUrl(env.REDIS_URL)}): fix it, or unset it to start a redis-server.`,
      );
    }
    return env.REDIS_URL;
  }
  const binary = await ensureRedisServerBinary({ onProgress: (message) => log.info(`Redis: ${message}`) });
  const server = await supervisor.start(async () => ({
    ...(await startRedisServer({ port: await findFreePort(), binary })),
    name: "redis-server",
  }));
  log.info(`Redis: started redis-server on port ${server.port}`);
  return server.url;
}

async function provideInfra(env: PlatformEnv, selected: Set<Group>): Promise<TestInfra> {
  const [databaseUrl, redisUrl] = [await providePostgres(env), await provideRedis(env)];
  const chromium =
    selected.has("playwright") || selected.has("infra")
      ? await ensureChromium({
          executablePath: env.AGENTBOT_CHROMIUM_PATH,
          onProgress: (message) => log.info(`Chromium: ${message}`),
        })
      : null;
  if (chromium !== null) log.info(`Chromium: ${chromium}`);
  // Generated code (Prisma client) that tests import; cached by turbo, so cheap after the static stage.
  await run("prisma generate", paths.bin("turbo"), [
    "run",
    "generate",
    "--filter=@agentbot/db",
    "--output-logs=errors-only",
  ]);
  return { databaseUrl, redisUrl, chromium };
}

function testEnv(infra: TestInfra): NodeJS.ProcessEnv {
  return childEnv({
    AGENTBOT_TEST_DATABASE_URL: infra.databaseUrl,
    AGENTBOT_TEST_REDIS_URL: infra.redisUrl,
    ...(infra.chromium === null ? {} : { AGENTBOT_CHROMIUM_PATH: infra.chromium }),
  });
}

function stages(env: PlatformEnv, selected: Set<Group>): Stage[] {
  let infra: TestInfra | null = null;
  const needInfra = (): TestInfra => {
    if (infra === null) throw new Error("not run: the test infrastructure stage failed (see above)");
    return infra;
  };
  return [
    {
      name: "format (prettier --check)",
      group: "static",
      run: () => run("prettier", paths.bin("prettier"), ["--check", ".", "--log-level", "warn"]),
    },
    {
      name: "typecheck + lint (packages, turbo)",
      group: "static",
      run: () =>
        run("turbo", paths.bin("turbo"), ["run", "typecheck", "lint", "--continue", "--output-logs=errors-only"]),
    },
    {
      name: "typecheck + lint (scripts/)",
      group: "static",
      run: async () => {
        await run("tsc scripts", paths.bin("tsc"), ["-p", "scripts/tsconfig.json"]);
        await run("eslint scripts", paths.bin("eslint"), ["."], { cwd: path.join(repoRoot, "scripts") });
      },
    },
    {
      name: "test infrastructure (PostgreSQL, Redis, Chromium)",
      group: "infra",
      run: async () => {
        infra = await provideInfra(env, selected);
      },
    },
    {
      name: "vitest (all projects)",
      group: "vitest",
      run: () => run("vitest", paths.bin("vitest"), ["run"], { env: testEnv(needInfra()) }),
    },
    {
      name: "playwright (apps/web)",
      group: "playwright",
      run: async () => {
        const testInfra = needInfra();
        if (!existsSync(paths.playwrightConfig)) {
          throw new Error(`${paths.playwrightConfig} is missing: the browser tests have no configuration.`);
        }
        await run("playwright", paths.playwrightBin, ["test"], { cwd: paths.webDir, env: testEnv(testInfra) });
      },
    },
  ];
}

function printSummary(interrupted: boolean): void {
  const count = (status: Outcome["status"]) => outcomes.filter((outcome) => outcome.status === status).length;
  const mark = { passed: paint("✓", "green"), failed: paint("✗", "red"), skipped: paint("-", "dim") };
  process.stdout.write(`\n${paint("Summary", "bold")} (${seconds(performance.now() - startedAt)} in all)\n`);
  for (const outcome of outcomes) {
    const time = outcome.status === "skipped" ? "skipped" : seconds(outcome.ms);
    process.stdout.write(`  ${mark[outcome.status]} ${outcome.stage.padEnd(52)} ${time}\n`);
  }
  if (interrupted) process.stdout.write(`  ${paint("interrupted: the remaining stages did not run", "red")}\n`);
  const skipped = count("skipped");
  const failed = count("failed") + (interrupted ? 1 : 0);
  process.stdout.write(`${count("passed")} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}\n`);
}

async function main(): Promise<void> {
  const env = loadPlatformEnv();
  setColor(process.stdout.isTTY && env.NO_COLOR === undefined);
  const selected = parseCli();
  let finished = false;
  supervisor.onBeforeExit(() => Promise.resolve(printSummary(!finished)));
  supervisor.installSignalHandlers(130);
  const all = stages(env, selected);
  const wanted = (stage: Stage) =>
    selected.has(stage.group) || (stage.group === "infra" && (selected.has("vitest") || selected.has("playwright")));
  for (const [index, stage] of all.entries()) {
    if (!wanted(stage)) {
      outcomes.push({ stage: stage.name, status: "skipped", ms: 0 });
      continue;
    }
    process.stdout.write(`\n${paint(`━━━ [${index + 1}/${all.length}] ${stage.name} ━━━`, "cyan")}\n`);
    const stageStart = performance.now();
    try {
      await stage.run();
      const ms = performance.now() - stageStart;
      outcomes.push({ stage: stage.name, status: "passed", ms });
      log.ok(`${stage.name} (${seconds(ms)})`);
    } catch (error) {
      if (error instanceof ShuttingDown || supervisor.shuttingDown) return;
      const ms = performance.now() - stageStart;
      outcomes.push({ stage: stage.name, status: "failed", ms });
      log.error(`✗ ${stage.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  finished = true;
  await supervisor.shutdown(outcomes.some((outcome) => outcome.status === "failed") ? 1 : 0);
}

main().catch((error: unknown) => {
  if (error instanceof ShuttingDown || supervisor.shuttingDown) return;
  log.error(error instanceof Error ? error.message : String(error));
  void supervisor.shutdown(1);
});
