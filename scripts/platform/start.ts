import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { isPortFree, spawnServer, startEmbeddedPostgres } from "@agentbot/local-infra";
import type { ServerProcess } from "@agentbot/local-infra";
import { childEnv, loadPlatformEnv } from "./env.ts";
import type { PlatformEnv } from "./env.ts";
import { waitForHttp } from "./lib/http.ts";
import { acquireStartLock } from "./lib/lock.ts";
import type { StartLock } from "./lib/lock.ts";
import { log, paint, prefixed, prettyPinoLines, redactUrl, seconds, setColor, timed } from "./lib/log.ts";
import { displayPath, paths, repoRoot } from "./lib/paths.ts";
import { loadOrCreateSecrets } from "./lib/secrets.ts";
import { describeExit, ShuttingDown, Supervisor } from "./lib/supervisor.ts";

/**
 * `./agentbot start`: PostgreSQL (DATABASE_URL, or embedded with data in .data/postgres), the backend (which applies
 * migrations at boot) and the web app (built with turbo, cached), each in its own process group with prefixed logs.
 * Prints the URLs once everything answers. Ctrl-C/SIGTERM stops web, backend, PostgreSQL in that order. A lock file
 * in .data keeps a second start from running beside the first.
 */

const usage = `Usage: ./agentbot start [--no-web]
  --no-web   run PostgreSQL and the backend only (skips the web build; used by the orchestrator's tests;
             AGENTBOT_START_SKIP_WEB=1 does the same)
Environment: DATABASE_URL, REDIS_URL, BACKEND_SERVICE_TOKEN, BETTER_AUTH_SECRET, SECRETS_ENCRYPTION_KEYS and
  PLATFORM_MODEL_TOKEN_SECRET (else generated once into
  .data/secrets.json), ADMIN_EMAILS, RESEND_API_KEY and EMAIL_FROM (passed to the web app),
  AGENTBOT_DATA_DIR (.data), AGENTBOT_SYSTEM_DIR (/var/lib/agentbot, as root only), AGENTBOT_POSTGRES_PORT (54320), AGENTBOT_BACKEND_PORT (4000), AGENTBOT_WEB_PORT (3000),
  LOG_LEVEL (passed to the backend). Billing (STRIPE_*, CDP_*, BILLING_*: see README, "Billing") is passed to both
  as set; without it, card and USDC payment are off and the billing pages say so.`;

interface Ports {
  readonly postgres: number;
  readonly backend: number;
  readonly web: number;
}

const supervisor = new Supervisor();

function parseCli(): { noWeb: boolean } {
  const { values } = parseArgs({
    options: { "no-web": { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return { noWeb: values["no-web"] };
}

async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isPortFree(port))) {
      const variable = `AGENTBOT_${name.toUpperCase()}_PORT`;
      throw new Error(`port ${port} (${name}) is already in use: stop whatever uses it, or set ${variable}.`);
    }
  }
}

async function providePostgres(
  env: PlatformEnv,
  dataDir: string,
  port: number,
  password: string,
  lock: StartLock,
): Promise<{ databaseUrl: string; description: string }> {
  if (env.DATABASE_URL !== undefined) {
    log.info(`PostgreSQL: using DATABASE_URL (${redactUrl(env.DATABASE_URL)})`);
    return { databaseUrl: env.DATABASE_URL, description: `${redactUrl(env.DATABASE_URL)} (DATABASE_URL)` };
  }
  const pgDataDir = path.join(dataDir, "postgres");
  log.info(`PostgreSQL: starting embedded PostgreSQL (data in ${displayPath(pgDataDir)})…`);
  const server = await supervisor.start(async () => {
    try {
      const started = await startEmbeddedPostgres({
        dataDir: pgDataDir,
        port,
        password,
        ...(env.AGENTBOT_SYSTEM_DIR === undefined ? {} : { systemDir: env.AGENTBOT_SYSTEM_DIR }),
        onProgress: (message) => log.info(`PostgreSQL: ${message}`),
        onLog: importantPostgresLines(prefixed("postgres", "blue")),
      });
      return { ...started, name: "PostgreSQL" };
    } catch (error) {
      if (error instanceof Error && error.message.includes("password authentication failed")) {
        throw new Error(
          `${error.message}\nThe password is kept in ${path.join(dataDir, "secrets.json")} beside the cluster.`,
          { cause: error },
        );
      }
      throw error;
    }
  });
  await lock.addChild({ name: "postgres", pid: server.pid, signal: "SIGINT", leaderOnly: true });
  supervisor.watch("PostgreSQL", server.exited);
  const databaseUrl = server.databaseUrl("agentbot");
  const where = server.clusterDir === path.resolve(pgDataDir) ? "" : `, data in ${server.clusterDir}`;
  return { databaseUrl, description: `${redactUrl(databaseUrl)} (embedded${where})` };
}

/** PostgreSQL's LOG lines are routine (start, checkpoints); warnings and errors are worth showing. */
function importantPostgresLines(write: (line: string) => void): (line: string) => void {
  return (line) => {
    if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line) && !line.includes("the database system is starting up"))
      write(line);
  };
}

async function buildWeb(): Promise<void> {
  log.info("web: building with turbo (cached: only the first build after a change takes long)…");
  const build = await spawnServer(
    paths.bin("turbo"),
    ["run", "build", "--filter=@agentbot/web", "--output-logs=new-only"],
    {
      spawn: { cwd: repoRoot, env: childEnv({ NODE_ENV: undefined }) },
      onLog: prefixed("build", "dim"),
      stop: { signal: "SIGTERM", graceMs: 5_000 },
    },
  );
  const exit = await supervisor.while({ name: "web build", stop: build.stop }, () => build.exited);
  if (exit.code !== 0) throw new Error(`the web build failed (${describeExit(exit)}); its output is above.`);
}

async function startChild(
  name: string,
  lock: StartLock,
  launch: () => Promise<ServerProcess>,
): Promise<ServerProcess & { name: string }> {
  const child = await supervisor.start(async () => ({ ...(await launch()), name }));
  await lock.addChild({ name, pid: child.pid, signal: "SIGTERM", leaderOnly: false });
  supervisor.watch(name, child.exited);
  return child;
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const env = loadPlatformEnv();
  setColor(process.stdout.isTTY && env.NO_COLOR === undefined);
  const cli = parseCli();
  const skipWeb = cli.noWeb || env.AGENTBOT_START_SKIP_WEB === true;
  const dataDir = path.resolve(repoRoot, env.AGENTBOT_DATA_DIR ?? ".data");
  const ports: Ports = {
    postgres: env.AGENTBOT_POSTGRES_PORT,
    backend: env.AGENTBOT_BACKEND_PORT,
    web: env.AGENTBOT_WEB_PORT,
  };
  const urls: Record<string, string> = {
    ...(skipWeb ? {} : { web: `http://127.0.0.1:${ports.web}` }),
    backend: `http://127.0.0.1:${ports.backend}`,
  };

  await mkdir(dataDir, { recursive: true });
  const acquired = await acquireStartLock(path.join(dataDir, "start.lock"), urls, log.info);
  if (!acquired.acquired) {
    const { holder } = acquired;
    const where = Object.entries(holder.urls).map(([name, url]) => `${name} ${url}`);
    log.error(`./agentbot start is already running (pid ${holder.pid}) at ${where.join(", ")}`);
    process.exit(1);
  }
  const { lock } = acquired;
  supervisor.onBeforeExit(() => lock.release());
  // A requested stop that completes cleanly is a success.
  supervisor.installSignalHandlers(0);

  if (!existsSync(paths.backendMain)) throw new Error(`${paths.backendMain} does not exist: nothing to start.`);
  if (!skipWeb && !existsSync(paths.nextBin)) {
    throw new Error(`${paths.nextBin} is missing: run ./agentbot again so it installs dependencies.`);
  }
  const { secrets, created } = await loadOrCreateSecrets(path.join(dataDir, "secrets.json"));
  if (created) log.info(`generated local secrets into ${displayPath(path.join(dataDir, "secrets.json"))} (mode 0600)`);
  const serviceToken = env.BACKEND_SERVICE_TOKEN ?? secrets.backendServiceToken;
  const authSecret = env.BETTER_AUTH_SECRET ?? secrets.betterAuthSecret;
  await assertPortsFree(skipWeb ? { backend: ports.backend } : { backend: ports.backend, web: ports.web });

  const postgres = await providePostgres(env, dataDir, ports.postgres, secrets.postgresPassword, lock);
  if (env.REDIS_URL === undefined) {
    log.info("Redis: REDIS_URL is not set, so backend and web use in-process stand-ins (single instance only)");
  } else {
    log.info(`Redis: using REDIS_URL (${redactUrl(env.REDIS_URL)})`);
  }

  if (skipWeb) log.info("web: skipped (--no-web)");
  else await timed(buildWeb, () => "web app built");

  log.info("backend: starting (it applies migrations at boot)…");
  const backend = await startChild("backend", lock, () =>
    spawnServer(process.execPath, [paths.backendMain], {
      spawn: {
        cwd: paths.backendDir,
        env: childEnv({
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          PORT: String(ports.backend),
          DATABASE_URL: postgres.databaseUrl,
          REDIS_URL: env.REDIS_URL,
          BACKEND_SERVICE_TOKEN: serviceToken,
          // Agents: secrets encrypted with a key kept in .data/secrets.json, local runtimes and their state under
          // the data dir; runtimes survive a restart of start (the backend re-adopts them).
          SECRETS_ENCRYPTION_KEYS: env.SECRETS_ENCRYPTION_KEYS ?? secrets.encryptionKeys,
          PLATFORM_MODEL_TOKEN_SECRET: env.PLATFORM_MODEL_TOKEN_SECRET ?? secrets.platformModelTokenSecret,
          AGENTBOT_AGENTS_DIR: env.AGENTBOT_AGENTS_DIR ?? path.join(dataDir, "agents"),
          PUBLIC_WEB_URL: urls["web"],
        }),
      },
      onLog: prettyPinoLines(prefixed("backend", "magenta")),
      stop: { signal: "SIGTERM", graceMs: 12_000 },
    }),
  );
  const web = skipWeb
    ? null
    : await startChild("web", lock, () =>
        spawnServer(paths.nextBin, ["start", "--hostname", "127.0.0.1", "--port", String(ports.web)], {
          spawn: {
            cwd: paths.webDir,
            env: childEnv({
              NODE_ENV: "production",
              PORT: String(ports.web),
              BACKEND_URL: urls["backend"],
              BACKEND_SERVICE_TOKEN: serviceToken,
              DATABASE_URL: postgres.databaseUrl,
              REDIS_URL: env.REDIS_URL,
              BETTER_AUTH_SECRET: authSecret,
              APP_URL: urls["web"],
              ADMIN_EMAILS: env.ADMIN_EMAILS,
              RESEND_API_KEY: env.RESEND_API_KEY,
              EMAIL_FROM: env.EMAIL_FROM,
              // The web app listens on loopback only and nothing sits in front of it: Next.js sets x-forwarded-for
              // from the socket, so the sessions list and the audit log show real client IPs and per-IP limits apply.
              TRUST_PROXY_HEADERS: "true",
              // A local run has no mail provider unless RESEND_API_KEY is set: keep the outbox viewable.
              DEV_OUTBOX: env.RESEND_API_KEY === undefined ? "1" : undefined,
            }),
          },
          onLog: prefixed("web", "green"),
          stop: { signal: "SIGTERM", graceMs: 10_000 },
        }),
      );

  await timed(
    () =>
      waitForHttp(`${urls["backend"]}/readyz`, {
        ready: (status) => status === 200,
        timeoutMs: 90_000,
        gone: backend.hasExited,
        onSlow: () => log.info(`waiting for ${urls["backend"]}/readyz to answer 200…`),
      }),
    () => "backend ready",
  );
  if (web !== null && urls["web"] !== undefined) {
    const webUrl = urls["web"];
    await timed(
      () =>
        waitForHttp(webUrl, {
          ready: (status) => status >= 200 && status < 400,
          timeoutMs: 90_000,
          gone: web.hasExited,
          onSlow: () => log.info(`waiting for the web home page ${webUrl} to answer…`),
        }),
      () => "web ready",
    );
  }

  const rows = [
    ...(urls["web"] === undefined ? [] : [["web", urls["web"]]]),
    ...(urls["web"] === undefined || env.RESEND_API_KEY !== undefined ? [] : [["outbox", `${urls["web"]}/dev/outbox`]]),
    ["backend", urls["backend"] ?? ""],
    ["postgres", postgres.description],
    ["billing", billingSummary(env)],
    [
      "redis",
      env.REDIS_URL === undefined ? "none (in-process stand-ins, single instance only)" : redactUrl(env.REDIS_URL),
    ],
  ];
  const table = rows.map(([name, value]) => `    ${(name ?? "").padEnd(9)}${paint(value ?? "", "bold")}`).join("\n");
  log.ok(
    `Agentbot is running (ready in ${seconds(performance.now() - startedAt)}):\n${table}\n  Press Ctrl-C to stop.`,
  );
}

/** Which ways to pay this run offers, from the variables the web app and backend read (they validate them). */
function billingSummary(env: PlatformEnv): string {
  const card = env.STRIPE_SECRET_KEY === undefined ? null : "card (Stripe)";
  const usdc = env.CDP_API_KEY_ID === undefined ? null : "USDC on Base (CDP)";
  const offered = [card, usdc].filter((way) => way !== null);
  return offered.length === 0 ? "not configured (card and USDC payment off; see README, Billing)" : offered.join(", ");
}

main().catch((error: unknown) => {
  // During a shutdown, errors of the interrupted start-up are expected; the shutdown reports and exits.
  if (error instanceof ShuttingDown || supervisor.shuttingDown) return;
  log.error(error instanceof Error ? error.message : String(error));
  void supervisor.shutdown(1);
});
