// Stripe webhook acknowledgement latency against the production build: `POST /api/webhooks/stripe` of the web app
// built with `next build` and served by `next start`, the real backend beside it (its billing worker applies what the
// route accepted), card billing pointed at the local Stripe stand-in. Rounds of N concurrent signed deliveries
// (distinct events of N distinct subscriptions, each one "accepted" and then applied), each timed from send to
// answer; baselines in the same process against the same server: the same route answering duplicates and a trivial
// route (GET /api/bot-check/challenge, an HMAC).
// Run: ./agentbot node bench/stripe-webhook-ack.ts [--rounds 5] [--concurrency 50] [--stripe-latency-ms 0,100]
import { benchServices, inheritedEnvWithout } from "./src/env.ts";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { newId } from "@agentbot/db";
import { createTestDatabase } from "@agentbot/db/testing";
import type { TestDatabase } from "@agentbot/db/testing";
import { createBillingCatalog, createStripeClient, startCheckout, statusOfStripe } from "@agentbot/billing";
import { startStripeStandIn } from "@agentbot/billing/testing";
import type { StripeStandIn } from "@agentbot/billing/testing";
import type Stripe from "stripe";
import { startDelayProxy } from "./src/delay-proxy.ts";
import type { DelayProxy } from "./src/delay-proxy.ts";
import { createHttpClient } from "./src/http-batch.ts";
import type { HttpAnswer, HttpRequestSpec } from "./src/http-batch.ts";
import { describeLoad, machineInfo, processCpuMs, startLoadMonitor } from "./src/machine.ts";
import type { LoadReport } from "./src/machine.ts";
import { freePort, killProcessesUnder, processesUnder } from "./src/processes.ts";
import { deleteRedisKeys } from "./src/redis-keys.ts";
import { describeMachine, writeResults } from "./src/results.ts";
import { round, summarize } from "./src/stats.ts";
import type { Summary } from "./src/stats.ts";
import {
  buildWebApp,
  hasBuild,
  nextVersion,
  prepareWebCopy,
  repoRoot,
  startBackendServer,
  startWebServer,
  stopAllNext,
} from "./src/web-app.ts";
import type { BackendServer, WebServer } from "./src/web-app.ts";

const { values: cli } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "50" },
    /** Added to every Stripe API call the web app makes (a series each); 0 is the stand-in as it is. */
    "stripe-latency-ms": { type: "string", default: "0,100" },
    "warmup-users": { type: "string", default: "3" },
    /** Users per series whose events are then delivered one at a time: the un-contended reference. */
    "sequential-users": { type: "string", default: "4" },
    /** Pause between batches, so one batch's tail does not overlap the next. */
    "pause-ms": { type: "string", default: "300" },
    /** The web app's DATABASE_POOL_SIZE; unset: its production default (5). */
    "db-pool-size": { type: "string" },
    /** Write a CPU profile of the server (node --cpu-prof) into this directory when it stops. */
    "server-cpu-prof": { type: "string" },
    /** Build into (and keep) this directory; a finished build there is reused. For iterating on this benchmark. */
    "build-dir": { type: "string" },
  },
});
const ROUNDS = Number(cli.rounds);
const CONCURRENCY = Number(cli.concurrency);
const LATENCIES = cli["stripe-latency-ms"].split(",").map(Number);
const WARMUP_USERS = Math.max(1, Number(cli["warmup-users"]));
const SEQUENTIAL_USERS = Number(cli["sequential-users"]);
const PAUSE_MS = Number(cli["pause-ms"]);
const POOL_SIZE = cli["db-pool-size"];
const GOAL_P99_MS = 200;

const runTag = randomBytes(4).toString("hex");
// Inside the repository (Turbopack resolves nothing outside the lockfile's directory), under `.data` (ignored by git,
// Prettier and this package's ESLint config), never apps/web/.next (others build and serve from it).
const buildDir = path.resolve(cli["build-dir"] ?? path.join(repoRoot, "bench", ".data", `web-build-${runTag}`));
const keepBuild = cli["build-dir"] !== undefined;
const redisKeyPrefix = `bench:stripe-webhook-ack:${runTag}:`;

const secretKey = "sk_test_agentbot_bench_0123456789";
const webhookSecret = "whsec_agentbot_bench_0123456789abcdef";
/** The prices the stand-in sells, configured in the web app as an installation configures STRIPE_PRICE_*. */
const prices = {
  STRIPE_PRICE_SOLO_MONTHLY: { id: "price_solo_month", unitAmount: 1900, interval: "month" },
  STRIPE_PRICE_COLLECTIVE_MONTHLY: { id: "price_collective_month", unitAmount: 4900, interval: "month" },
  STRIPE_PRICE_COLLECTIVE_YEARLY: { id: "price_collective_year", unitAmount: 49000, interval: "year" },
  STRIPE_PRICE_LABEL_MONTHLY: { id: "price_label_month", unitAmount: 14900, interval: "month" },
} as const;

type StripeEvent = Stripe.Event;
type Kind = "new" | "duplicate" | "challenge" | "sequential";

interface Subscriber {
  readonly userId: string;
  readonly subscriptionId: string;
  /** Events about the subscription, in the order Stripe sent them: one per round, each delivered once as new. */
  readonly events: readonly StripeEvent[];
}

interface Sample {
  readonly phase: "warm-up" | "measured";
  /** The delay added to the web app's Stripe API calls in this series. */
  readonly stripeLatencyMs: number;
  readonly round: number;
  readonly kind: Kind;
  readonly eventType: string | null;
  readonly eventId: string | null;
  readonly ms: number;
  readonly status: number | null;
  readonly outcome: string | null;
  readonly error: string | null;
}

interface Batch {
  readonly stripeLatencyMs: number;
  readonly round: number;
  readonly kind: Kind;
  readonly size: number;
  /** First request written → last answer read. */
  readonly wallMs: number;
  /** CPU the `next start` process used meanwhile (user + system, 10 ms resolution). */
  readonly serverCpuMs: number | null;
  /** New events: first request written → every event of the batch applied by the backend's billing worker. */
  readonly appliedAfterMs?: number;
  /** New events: CPU the backend used from the batch's start until then. */
  readonly backendCpuMs?: number | null;
}

/** What the webhook is about a subscription for: the handler processes these (others are recorded and ignored). */
const isAboutSubscription = (event: StripeEvent) =>
  event.type.startsWith("customer.subscription.") ||
  event.type.startsWith("invoice.") ||
  event.type === "checkout.session.completed";

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

// --- Everything this run starts, and its cleanup (also on Ctrl-C) ------------------------------------------------
let database: TestDatabase | undefined;
let standIn: StripeStandIn | undefined;
let proxy: DelayProxy | undefined;
let server: WebServer | undefined;
let backend: BackendServer | undefined;
let http: ReturnType<typeof createHttpClient> | undefined;
const cleanup = { redisKeysDeleted: 0, processesKilled: 0, processesLeft: 0, buildKept: keepBuild };
let cleanedUp: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleanedUp ??= (async () => {
    http?.close();
    await server?.stop().catch(() => undefined);
    await backend?.stop(15_000).catch(() => undefined);
    await stopAllNext().catch(() => undefined);
    await standIn?.close().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await database
      ?.drop()
      .catch((error: unknown) => process.stderr.write(`bench: dropping the database: ${String(error)}\n`));
    cleanup.redisKeysDeleted = await deleteRedisKeys(benchServices.redisUrl, redisKeyPrefix).catch(() => -1);
    cleanup.processesKilled = await killProcessesUnder(buildDir);
    cleanup.processesLeft = (await processesUnder(buildDir)).length;
    if (!keepBuild) await rm(buildDir, { recursive: true, force: true });
  })();
  return cleanedUp;
}
let interrupted = false;
/** Stops the measuring once a signal came (the handler cleans up and exits). */
function stopIfInterrupted(): void {
  if (interrupted) throw new Error("interrupted");
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`${signal === "SIGINT" ? "interrupted" : "terminated"}: cleaning up\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const machine = await machineInfo();
const samples: Sample[] = [];
const batches: Batch[] = [];
const seriesLoad: { stripeLatencyMs: number; load: LoadReport }[] = [];
let build: { reused: boolean; buildMs: number | null; nextVersion: string; serverReadyMs: number };
let verification: Awaited<ReturnType<typeof verify>>;
let stripeCalls: Record<string, number>;
let serverLog: { lines: number; errorLines: string[]; warningLines: string[] };
let backendLog: { lines: number; errorLines: string[] };

async function verify(
  subscribers: readonly Subscriber[],
  deliveredAsNew: ReadonlySet<string>,
  newEventsBySeries: ReadonlyMap<number, readonly string[]>,
) {
  const db = database!.db;
  let usersRight = 0;
  let subscriptionsRight = 0;
  const wrong: { userId: string; problem: string }[] = [];
  for (const subscriber of subscribers) {
    const truth = standIn!.subscription(subscriber.subscriptionId);
    const item = truth.items.data[0]!;
    const user = await db.user.findUnique({
      where: { id: subscriber.userId },
      select: { plan: true, subscriptionStatus: true },
    });
    const expectedStatus = statusOfStripe(truth.status);
    if (user?.plan === "collective" && user.subscriptionStatus === expectedStatus) usersRight++;
    else {
      wrong.push({
        userId: subscriber.userId,
        problem: `user plan/status ${user?.plan ?? "none"}/${user?.subscriptionStatus ?? "none"}, expected collective/${expectedStatus}`,
      });
    }
    const row = await db.stripeSubscription.findUnique({ where: { id: subscriber.subscriptionId } });
    const rowRight =
      row !== null &&
      row.userId === subscriber.userId &&
      row.status === truth.status &&
      row.plan === "collective" &&
      row.priceId === item.price.id &&
      row.currentPeriodEnd?.getTime() === item.current_period_end * 1000 &&
      (row.trialEnd?.getTime() ?? null) === (truth.trial_end === null ? null : truth.trial_end * 1000);
    if (rowRight) subscriptionsRight++;
    else {
      wrong.push({
        userId: subscriber.userId,
        problem: `stored subscription ${row === null ? "missing" : `${row.status} ${row.priceId}`}, Stripe says ${truth.status} ${item.price.id}`,
      });
    }
  }
  const recorded = new Set(
    (
      await db.billingWebhookEvent.findMany({
        where: { provider: "stripe", outcome: "processed" },
        select: { eventId: true },
      })
    ).map((row) => row.eventId),
  );
  const outcomes = await db.billingWebhookEvent.groupBy({
    by: ["outcome"],
    where: { provider: "stripe" },
    _count: { _all: true },
  });
  const applyLagBySeries: Record<string, Summary> = {};
  for (const [latency, ids] of newEventsBySeries) {
    const rows = await db.billingWebhookEvent.findMany({
      where: { provider: "stripe", eventId: { in: [...ids] } },
      select: { receivedAt: true, processedAt: true },
    });
    applyLagBySeries[String(latency)] = summarize(
      rows.map((row) => (row.processedAt?.getTime() ?? Number.NaN) - row.receivedAt.getTime()),
    );
  }
  const billingEvents = await db.billingEvent.groupBy({ by: ["type"], _count: { _all: true } });
  const billingTasks = await db.billingTask.groupBy({ by: ["kind"], _count: { _all: true } });
  return {
    users: subscribers.length,
    usersWithExpectedPlanAndStatus: usersRight,
    subscriptionsMatchingStripe: subscriptionsRight,
    eventsDeliveredAsNew: deliveredAsNew.size,
    eventsRecordedAsProcessed: recorded.size,
    deliveredButNotRecorded: [...deliveredAsNew].filter((id) => !recorded.has(id)).length,
    recordedButNotDelivered: [...recorded].filter((id) => !deliveredAsNew.has(id)).length,
    inboxOutcomes: Object.fromEntries(outcomes.map((group) => [group.outcome ?? "pending", group._count._all])),
    applyLagBySeries,
    billingEventsByType: Object.fromEntries(billingEvents.map((group) => [group.type, group._count._all])),
    billingTasksByKind: Object.fromEntries(billingTasks.map((group) => [group.kind, group._count._all])),
    wrong: wrong.slice(0, 20),
  };
}

try {
  process.stderr.write(
    `stripe-webhook-ack: ${ROUNDS} rounds × ${CONCURRENCY} concurrent deliveries per series, Stripe latency series ${LATENCIES.join(", ")} ms\n`,
  );
  database = await createTestDatabase({ poolSize: 4 });
  standIn = await startStripeStandIn({
    secretKey,
    webhookSecret,
    // No webhook URL: events are only recorded; this benchmark delivers them itself, signed as Stripe signs them.
    prices: Object.values(prices).map((price) => ({ ...price, currency: "usd" })),
  });
  proxy = await startDelayProxy(standIn.url);

  const port = await freePort();
  const backendPort = await freePort();
  const env: Record<string, string> = {
    // What would change the app's configuration is dropped from the inherited environment; the rest is set here.
    ...inheritedEnvWithout([
      "STRIPE_",
      "CDP_",
      "BILLING_",
      "BOT_CHECK_",
      "DATABASE_",
      "REDIS_",
      "BACKEND_",
      "BETTER_AUTH_",
      "APP_URL",
      "NODE_ENV",
      "NODE_OPTIONS",
      "RESEND_",
      "EMAIL_FROM",
      "DEV_OUTBOX",
      "TRUST_PROXY_HEADERS",
      "CLIENT_IP_HEADER",
      "API_RATE_LIMIT",
      "ADMIN_EMAILS",
      "VERCEL",
      "PORT",
      "NEXT_",
      "__NEXT",
    ]),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    ...(POOL_SIZE === undefined ? {} : { DATABASE_POOL_SIZE: POOL_SIZE }),
    REDIS_URL: benchServices.redisUrl,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    BACKEND_SERVICE_TOKEN: randomBytes(32).toString("base64url"),
    // The backend started below (this route does not call it; its billing worker applies what the route accepts).
    BACKEND_URL: `http://127.0.0.1:${backendPort}`,
    APP_URL: `http://127.0.0.1:${port}`,
    BOT_CHECK_PROVIDER: "pow",
    STRIPE_SECRET_KEY: secretKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    // Through the delay proxy (pass-through at 0 ms) to the stand-in.
    STRIPE_API_BASE: proxy.url,
    ...Object.fromEntries(Object.entries(prices).map(([name, price]) => [name, price.id])),
  };

  const reused = keepBuild && (await hasBuild(buildDir));
  let buildMs: number | null = null;
  if (!reused) {
    await rm(buildDir, { recursive: true, force: true });
    await prepareWebCopy(buildDir);
    process.stderr.write(`  next build in ${path.relative(repoRoot, buildDir)} (a minute or two)\n`);
    buildMs = await buildWebApp(buildDir, env, (line) => {
      if (line.trim() !== "") process.stderr.write(`  build | ${line}\n`);
    });
    process.stderr.write(`  built in ${round(buildMs / 1000)} s\n`);
  } else {
    process.stderr.write(`  reusing the build in ${buildDir} (--build-dir)\n`);
  }
  // The backend as `./agentbot start` runs it, with the same billing configuration; agents (none here) on the local
  // engine with the fake runtime, their directory inside the build directory (removed with it).
  const { BETTER_AUTH_SECRET: _authSecret, APP_URL: _appUrl, BOT_CHECK_PROVIDER: _botCheck, ...shared } = env;
  backend = await startBackendServer({
    port: backendPort,
    env: {
      ...shared,
      LOG_LEVEL: "warn",
      REDIS_SLOT_KEY_PREFIX: redisKeyPrefix,
      AGENTBOT_ENGINE: "local",
      AGENTBOT_LOCAL_RUNTIME: "fake",
      AGENTBOT_AGENTS_DIR: path.join(buildDir, "agents"),
      SECRETS_ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
      PUBLIC_WEB_URL: `http://127.0.0.1:${port}`,
    },
  });
  process.stderr.write(`  backend answering on ${backend.url} after ${round(backend.readyMs)} ms\n`);
  const profileDir = cli["server-cpu-prof"];
  server = await startWebServer({
    dir: buildDir,
    env,
    port,
    readyPath: "/api/bot-check/challenge",
    nodeArgs: profileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", path.resolve(profileDir)],
  });
  build = {
    reused,
    buildMs: buildMs === null ? null : round(buildMs),
    nextVersion: await nextVersion(),
    serverReadyMs: round(server.readyMs),
  };
  process.stderr.write(`  next start answering on ${server.url} after ${round(server.readyMs)} ms\n`);

  // --- Subscriptions: each user through Checkout with the real SDK, the stand-in records the events ---------------
  const setupStripe = createStripeClient({ secretKey, apiBase: new URL(standIn.url) });
  const catalog = createBillingCatalog({
    "solo:month": prices.STRIPE_PRICE_SOLO_MONTHLY.id,
    "collective:month": prices.STRIPE_PRICE_COLLECTIVE_MONTHLY.id,
    "collective:year": prices.STRIPE_PRICE_COLLECTIVE_YEARLY.id,
    "label:month": prices.STRIPE_PRICE_LABEL_MONTHLY.id,
  });
  const eventsPerUser = Math.max(ROUNDS, 1);
  async function subscribe(): Promise<Subscriber> {
    const id = newId("user");
    const user = { id, email: `${id}@bench.example.test`, name: "Card customer" };
    await database!.db.user.create({ data: { ...user, emailVerified: true, plan: null } });
    const checkout = await startCheckout(
      { db: database!.db, stripe: setupStripe, catalog },
      {
        user,
        plan: "collective",
        interval: "month",
        successUrl: `http://127.0.0.1:${port}/settings/billing?checkout=success`,
        cancelUrl: `http://127.0.0.1:${port}/settings/billing?checkout=canceled`,
        trialDays: 7,
      },
    );
    const { subscription, events } = await standIn!.completeCheckout(checkout.sessionId);
    const pool = events.filter(isAboutSubscription);
    // More rounds than Checkout has events (6): the trial ends, then the subscription renews, until there are enough.
    for (let step = 0; pool.length < eventsPerUser; step++) {
      const more = step === 0 ? await standIn!.endTrial(subscription.id) : await standIn!.renew(subscription.id);
      pool.push(...more.filter(isAboutSubscription));
    }
    return { userId: id, subscriptionId: subscription.id, events: pool };
  }
  const setupStarted = performance.now();
  const warmUsers = await mapLimit(Array.from({ length: WARMUP_USERS }), 4, subscribe);
  const seriesUsers = await Promise.all(
    LATENCIES.map(() => mapLimit(Array.from({ length: CONCURRENCY }), 4, subscribe)),
  );
  const sequentialUsers = await Promise.all(
    LATENCIES.map(() => mapLimit(Array.from({ length: SEQUENTIAL_USERS }), 4, subscribe)),
  );
  process.stderr.write(
    `  ${WARMUP_USERS + (CONCURRENCY + SEQUENTIAL_USERS) * LATENCIES.length} subscriptions set up in ${round((performance.now() - setupStarted) / 1000)} s ` +
      `(${standIn.events.length} events recorded)\n`,
  );

  http = createHttpClient(server.url);
  const client = http;
  const challengeSpec: HttpRequestSpec = { method: "GET", path: "/api/bot-check/challenge" };
  // Signed at the moment of the batch, as Stripe signs each delivery attempt.
  const webhookSpec = (event: StripeEvent): HttpRequestSpec => {
    const { body, signature } = standIn!.signed(event);
    return {
      method: "POST",
      path: "/api/webhooks/stripe",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "stripe-signature": signature,
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      },
      body,
    };
  };
  const deliveredAsNew = new Set<string>();
  const newEventsBySeries = new Map<number, string[]>();
  /**
   * Waits until the backend's worker applied these events (polls the inbox every 10 ms; a cheap indexed count); the
   * answer is that moment. Then, not counted, until the billing tasks they queued (enforcement passes, receipts) are
   * done too, so the next batch does not meet this one's leftovers.
   */
  const waitForApplied = async (events: readonly StripeEvent[]): Promise<number> => {
    const ids = events.map((event) => event.id);
    const deadline = performance.now() + 120_000;
    let appliedAt: number | null = null;
    for (;;) {
      if (appliedAt === null) {
        const pending = await database!.db.billingWebhookEvent.count({
          where: { provider: "stripe", eventId: { in: ids }, processedAt: null },
        });
        if (pending === 0) appliedAt = performance.now();
      }
      if (appliedAt !== null) {
        const tasks = await database!.db.billingTask.count({ where: { doneAt: null } });
        if (tasks === 0) return appliedAt;
      }
      if (performance.now() > deadline) throw new Error("events or their billing tasks still pending after 120 s");
      await sleep(10);
    }
  };
  const record = (
    phase: Sample["phase"],
    stripeLatencyMs: number,
    roundIndex: number,
    kind: Kind,
    answers: readonly HttpAnswer[],
    events: readonly (StripeEvent | null)[],
  ) => {
    answers.forEach((answer, index) => {
      const event = events[index] ?? null;
      let outcome: string | null;
      try {
        const parsed = JSON.parse(answer.body) as { outcome?: unknown };
        outcome = kind === "challenge" ? "challenge" : typeof parsed.outcome === "string" ? parsed.outcome : null;
      } catch {
        outcome = null;
      }
      if ((kind === "new" || kind === "sequential") && event !== null) deliveredAsNew.add(event.id);
      samples.push({
        phase,
        stripeLatencyMs,
        round: roundIndex,
        kind,
        eventType: event?.type ?? null,
        eventId: event?.id ?? null,
        ms: round(answer.ms, 2),
        status: answer.status,
        outcome,
        error: answer.error,
      });
    });
  };

  // --- Warm-up: every route's code loaded and JIT-warmed, CONCURRENCY connections opened ---------------------------
  stopIfInterrupted();
  proxy.setDelay(0);
  for (let index = 0; index < 5; index++)
    record("warm-up", 0, -1, "challenge", [await client.send(challengeSpec)], [null]);
  for (let index = 0; index < 2; index++) {
    const { answers } = await client.batch(Array.from({ length: CONCURRENCY }, () => challengeSpec));
    record("warm-up", 0, -1, "challenge", answers, []);
  }
  for (const event of warmUsers[0]!.events) {
    record("warm-up", 0, -1, "new", [await client.send(webhookSpec(event))], [event]);
    await waitForApplied([event]);
  }
  // Every warm-up event is delivered as new here, so the duplicates below are all replays.
  for (let roundIndex = 0; ; roundIndex++) {
    const events = warmUsers.slice(1).flatMap((user) => user.events.slice(roundIndex, roundIndex + 1));
    if (events.length === 0) break;
    const { answers } = await client.batch(events.map(webhookSpec));
    record("warm-up", 0, -1, "new", answers, events);
    await waitForApplied(events);
  }
  {
    const warmEvents = warmUsers.flatMap((user) => user.events);
    const events = Array.from({ length: CONCURRENCY }, (_, index) => warmEvents[index % warmEvents.length]!);
    const { answers } = await client.batch(events.map(webhookSpec));
    record("warm-up", 0, -1, "duplicate", answers, events);
  }
  process.stderr.write(`  warm-up: ${samples.length} requests\n`);

  // --- Measured series ------------------------------------------------------------------------------------------------
  for (const [seriesIndex, latency] of LATENCIES.entries()) {
    proxy.setDelay(latency);
    const users = seriesUsers[seriesIndex]!;
    const stopLoad = await startLoadMonitor();
    for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
      // Alternate where the trivial baseline goes, so neither side always meets a machine the other just loaded. The
      // duplicates are this round's events again, so they must come after them.
      const order: Kind[] =
        roundIndex % 2 === 0 ? ["new", "duplicate", "challenge"] : ["challenge", "new", "duplicate"];
      const line: string[] = [];
      for (const kind of order) {
        stopIfInterrupted();
        const events = kind === "challenge" ? [] : users.map((user) => user.events[roundIndex]!);
        const specs =
          kind === "challenge" ? Array.from({ length: CONCURRENCY }, () => challengeSpec) : events.map(webhookSpec);
        const cpuBefore = await processCpuMs(server.pid);
        const backendCpuBefore = await processCpuMs(backend.pid);
        const sentAt = performance.now();
        const { answers, wallMs } = await client.batch(specs);
        const cpuAfter = await processCpuMs(server.pid);
        record("measured", latency, roundIndex, kind, answers, events);
        let applied: Pick<Batch, "appliedAfterMs" | "backendCpuMs"> = {};
        if (kind === "new") {
          const appliedAt = await waitForApplied(events);
          const backendCpuAfter = await processCpuMs(backend.pid);
          applied = {
            appliedAfterMs: round(appliedAt - sentAt),
            backendCpuMs:
              backendCpuBefore === null || backendCpuAfter === null ? null : backendCpuAfter - backendCpuBefore,
          };
          newEventsBySeries.set(latency, [...(newEventsBySeries.get(latency) ?? []), ...events.map((e) => e.id)]);
        }
        batches.push({
          stripeLatencyMs: latency,
          round: roundIndex,
          kind,
          size: specs.length,
          wallMs: round(wallMs),
          serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
          ...applied,
        });
        const p99 = summarize(answers.map((answer) => answer.ms)).p99;
        line.push(
          `${kind} p99 ${p99} ms${applied.appliedAfterMs === undefined ? "" : ` (applied after ${applied.appliedAfterMs} ms)`}`,
        );
        await sleep(PAUSE_MS);
      }
      process.stderr.write(
        `  stripe +${latency} ms, round ${roundIndex + 1}/${ROUNDS} (${users[0]!.events[roundIndex]!.type}): ${line.join(", ")}\n`,
      );
    }
    // The reference: the same kind of deliveries one at a time (each user's events in order), nothing queued.
    for (const user of sequentialUsers[seriesIndex]!) {
      for (const [roundIndex, event] of user.events.slice(0, ROUNDS).entries()) {
        stopIfInterrupted();
        const cpuBefore = await processCpuMs(server.pid);
        const answer = await client.send(webhookSpec(event));
        const cpuAfter = await processCpuMs(server.pid);
        record("measured", latency, roundIndex, "sequential", [answer], [event]);
        await waitForApplied([event]);
        batches.push({
          stripeLatencyMs: latency,
          round: roundIndex,
          kind: "sequential",
          size: 1,
          wallMs: round(answer.ms),
          serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
        });
      }
    }
    seriesLoad.push({ stripeLatencyMs: latency, load: await stopLoad() });
  }

  verification = await verify(
    [...warmUsers, ...seriesUsers.flat(), ...sequentialUsers.flat()],
    deliveredAsNew,
    newEventsBySeries,
  );
  stripeCalls = proxy.counts();
  const output = server.output();
  serverLog = {
    lines: output.total,
    errorLines: output.lines
      .filter((line) => /error|failed/i.test(line) && !/DeprecationWarning/.test(line))
      .slice(-20),
    warningLines: [...new Set(output.lines.filter((line) => /warn/i.test(line)))].slice(-10),
  };
  // LOG_LEVEL=warn: every line the backend wrote is a warning or an error.
  const backendOutput = backend.output();
  backendLog = {
    lines: backendOutput.total,
    errorLines: backendOutput.lines.filter((line) => line.trim() !== "").slice(-20),
  };
} catch (error) {
  // Interrupted: what failed did so because the cleanup stopped it.
  if (!interrupted) throw error;
} finally {
  await cleanUp();
}
// The signal handler exits (130) once the cleanup is done; nothing is written for an interrupted run.
if (interrupted) await new Promise(() => undefined);

// --- Figures --------------------------------------------------------------------------------------------------------
const measured = samples.filter((sample) => sample.phase === "measured");
const msOf = (list: readonly Sample[]) => list.map((sample) => sample.ms);
const ratio = (a: number, b: number) => round(a / b, 2);

const series = LATENCIES.map((latency) => {
  const of = (kind: Kind) => measured.filter((sample) => sample.stripeLatencyMs === latency && sample.kind === kind);
  const fresh = summarize(msOf(of("new")));
  const duplicate = summarize(msOf(of("duplicate")));
  const challenge = summarize(msOf(of("challenge")));
  const sequential = summarize(msOf(of("sequential")));
  const perRound = Array.from({ length: ROUNDS }, (_, roundIndex) => {
    const list = of("new").filter((sample) => sample.round === roundIndex);
    return { round: roundIndex + 1, eventType: list[0]?.eventType ?? null, ...summarize(msOf(list)) };
  });
  const ofSeries = (kind: Kind) => batches.filter((batch) => batch.stripeLatencyMs === latency && batch.kind === kind);
  /** The server's CPU per request of a kind: all its batches' CPU over all their requests. */
  const cpuPerRequest = (kind: Kind) => {
    const list = ofSeries(kind).filter((batch) => batch.serverCpuMs !== null);
    const requests = list.reduce((sum, batch) => sum + batch.size, 0);
    return requests === 0 ? null : round(list.reduce((sum, batch) => sum + batch.serverCpuMs!, 0) / requests, 2);
  };
  const batchWall = (kind: Kind) =>
    summarize(batches.filter((batch) => batch.stripeLatencyMs === latency && batch.kind === kind).map((b) => b.wallMs));
  return {
    stripeLatencyMs: latency,
    new: fresh,
    duplicate,
    challenge,
    sequential,
    ratios: {
      newToChallenge: { p50: ratio(fresh.p50, challenge.p50), p99: ratio(fresh.p99, challenge.p99) },
      newToDuplicate: { p50: ratio(fresh.p50, duplicate.p50), p99: ratio(fresh.p99, duplicate.p99) },
      newToSequential: { p50: ratio(fresh.p50, sequential.p50), p99: ratio(fresh.p99, sequential.p99) },
    },
    goalP99Under200ms: fresh.p99 < GOAL_P99_MS,
    perRound,
    serverCpuMsPerRequest: {
      new: cpuPerRequest("new"),
      duplicate: cpuPerRequest("duplicate"),
      challenge: cpuPerRequest("challenge"),
      sequential: cpuPerRequest("sequential"),
    },
    batchWallMs: {
      new: batchWall("new"),
      duplicate: batchWall("duplicate"),
      challenge: batchWall("challenge"),
    },
    /**
     * Batch sent → every event of it applied by the backend's worker, and the backend's CPU per applied event (until
     * the billing tasks the events queued were done as well).
     */
    applied: {
      batchAppliedAfterMs: summarize(ofSeries("new").map((batch) => batch.appliedAfterMs ?? 0)),
      perEventLagMs: verification!.applyLagBySeries[String(latency)] ?? null,
      backendCpuMsPerEvent: (() => {
        const list = ofSeries("new").filter((batch) => batch.backendCpuMs !== null);
        const events = list.reduce((sum, batch) => sum + batch.size, 0);
        return events === 0 ? null : round(list.reduce((sum, batch) => sum + batch.backendCpuMs!, 0) / events, 2);
      })(),
    },
    load: seriesLoad.find((entry) => entry.stripeLatencyMs === latency)?.load ?? null,
  };
});

const expectedOutcome: Record<Kind, string> = {
  new: "accepted",
  duplicate: "duplicate",
  challenge: "challenge",
  sequential: "accepted",
};
const answers = {
  requests: samples.length,
  measured: measured.length,
  answered200: samples.filter((sample) => sample.status === 200).length,
  notAnswered200: samples.filter((sample) => sample.status !== 200).length,
  unexpectedOutcome: samples.filter(
    (sample) => sample.status === 200 && sample.outcome !== expectedOutcome[sample.kind],
  ).length,
  errors: [...new Set(samples.flatMap((sample) => (sample.error === null ? [] : [sample.error])))].slice(0, 10),
  statuses: Object.fromEntries(
    [...new Set(samples.map((sample) => String(sample.status)))].map((status) => [
      status,
      samples.filter((sample) => String(sample.status) === status).length,
    ]),
  ),
};
const newDeliveries = samples.filter((sample) => sample.kind === "new" || sample.kind === "sequential").length;

const fmt = (value: number) => `${value} ms`;
const summaryRow = (label: string, summary: Summary, wall: Summary | null, cpu: number | null) =>
  `| ${label} | ${fmt(summary.p50)} | ${fmt(summary.p90)} | ${fmt(summary.p99)} | ${fmt(summary.max)} | ${fmt(summary.mean)} | ${summary.n} | ${wall === null ? "—" : fmt(wall.p50)} | ${cpu === null ? "?" : fmt(cpu)} |`;
const seriesSections = series.map((entry) => {
  const title =
    entry.stripeLatencyMs === 0
      ? "Stripe stand-in as it is (answers in ~1 ms)"
      : `Stripe API calls delayed by ${entry.stripeLatencyMs} ms (a remote Stripe's round trip, assumed)`;
  return `### ${title}

| request | p50 | p90 | p99 | max | mean | n | batch wall p50 | server CPU / request |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${summaryRow(`webhook, new event (**accepted**), ${CONCURRENCY} at once`, entry.new, entry.batchWallMs.new, entry.serverCpuMsPerRequest.new)}
${summaryRow(`webhook, duplicate event (fast path), ${CONCURRENCY} at once`, entry.duplicate, entry.batchWallMs.duplicate, entry.serverCpuMsPerRequest.duplicate)}
${summaryRow(`GET /api/bot-check/challenge (trivial), ${CONCURRENCY} at once`, entry.challenge, entry.batchWallMs.challenge, entry.serverCpuMsPerRequest.challenge)}
${summaryRow("webhook, new event, one at a time (reference)", entry.sequential, null, entry.serverCpuMsPerRequest.sequential)}

- ratio new / trivial route: **${entry.ratios.newToChallenge.p50}× at p50**, ${entry.ratios.newToChallenge.p99}× at p99; new / duplicate: ${entry.ratios.newToDuplicate.p50}× at p50, ${entry.ratios.newToDuplicate.p99}× at p99; ${CONCURRENCY} at once / one at a time: ${entry.ratios.newToSequential.p50}× at p50.
- **Goal (p99 under ${GOAL_P99_MS} ms): ${entry.goalP99Under200ms ? "met" : "not met"}** (p99 ${entry.new.p99} ms over ${entry.new.n} deliveries).
- applied by the backend's billing worker: the whole batch ${entry.applied.batchAppliedAfterMs.p50} ms after it was sent at p50 (max ${entry.applied.batchAppliedAfterMs.max} ms); per event, accepted → applied ${entry.applied.perEventLagMs === null ? "?" : `p50 ${entry.applied.perEventLagMs.p50} / p99 ${entry.applied.perEventLagMs.p99} ms`}; backend CPU ${entry.applied.backendCpuMsPerEvent ?? "?"} ms per event (tasks included).
- per round (new events): ${entry.perRound.map((r) => `${r.round}. \`${r.eventType}\` p50 ${r.p50} / p99 ${r.p99} / max ${r.max}`).join("; ")}.
- ${entry.load === null ? "" : describeLoad(entry.load)}`;
});

const v = verification!;
const summary = `# Stripe webhook acknowledgement latency (\`stripe-webhook-ack.ts\`)

${describeMachine(machine)}. Next.js ${build!.nextVersion}, \`next build\` (${build!.reused ? "reused build" : `${round((build!.buildMs ?? 0) / 1000)} s`}) + \`next start\`
(NODE_ENV=production), web DATABASE_POOL_SIZE ${POOL_SIZE ?? "5 (production default)"}; the backend (\`node apps/backend/src/main.ts\`,
NODE_ENV=production, its defaults) beside it; local PostgreSQL and Redis.

\`POST /api/webhooks/stripe\`, ${ROUNDS} rounds per series of ${CONCURRENCY} concurrent deliveries, each a distinct
event of a distinct subscription (round _r_ delivers every user's _r_-th event of Checkout), signed as Stripe signs
them, timed from send to the whole answer. The route verifies the signature, records the event in the inbox and
answers; the backend's billing worker, woken by the insert's notification, applies it (Stripe re-read, transaction)
once the burst of notifications pauses; the next batch waits until the whole batch is applied and the billing tasks
it queued (enforcement passes, receipts) are done. Baselines, same
server, same rounds: the same ${CONCURRENCY} events again (duplicates: signature check + the same one insert, which
conflicts) and ${CONCURRENCY} \`GET /api/bot-check/challenge\` (an HMAC,
no I/O). Then, as a reference, ${SEQUENTIAL_USERS} more subscriptions' events one at a time. ${WARMUP_USERS} warm-up subscriptions' events and ${CONCURRENCY * 2 + 5} challenges first, not counted.
The backend's Stripe calls (the web app's webhook makes none) go to the stand-in (this process) through a pass-through
proxy that adds the series' delay.
"server CPU / request": CPU of the \`next start\` process during the batches (user + system, 10 ms ticks) over their requests.

${seriesSections.join("\n\n")}

**Checks.** ${answers.answered200}/${answers.requests} requests answered 200 (${answers.notAnswered200} did not${answers.errors.length > 0 ? `: ${answers.errors.join("; ")}` : ""}),
${answers.unexpectedOutcome} with an unexpected outcome (every new event \`accepted\`, every replay \`duplicate\`).
Database afterwards: ${v.usersWithExpectedPlanAndStatus}/${v.users} users with the plan and status Stripe's subscription
implies, ${v.subscriptionsMatchingStripe}/${v.users} stored subscriptions equal to Stripe's (status, price, period, trial end);
${v.eventsRecordedAsProcessed} events applied (\`processed\`) for ${v.eventsDeliveredAsNew} delivered as new
(${v.deliveredButNotRecorded} missing, ${v.recordedButNotDelivered} extra; inbox outcomes: ${Object.entries(
  v.inboxOutcomes,
)
  .map(([outcome, count]) => `${outcome} ×${count}`)
  .join(", ")}). Stripe API calls by the backend:
${Object.entries(stripeCalls!)
  .map(([route, count]) => `${route} ×${count}`)
  .join(", ")} (${newDeliveries} new deliveries).
Backend log: ${backendLog!.lines} lines, ${backendLog!.errorLines.length} errors or warnings. Web server log: ${serverLog!.lines} lines, ${serverLog!.errorLines.length} errors${serverLog!.warningLines.length > 0 ? `, warnings: ${serverLog!.warningLines.map((line) => `"${line.slice(0, 90)}…"`).join("; ")}` : ""}. Cleanup: database dropped,
${cleanup.redisKeysDeleted} Redis keys under the run's prefix, ${cleanup.processesLeft} processes left, build ${cleanup.buildKept ? "kept" : "removed"}.
`;

await writeResults(
  "stripe-webhook-ack",
  {
    machine,
    parameters: {
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      stripeLatencyMs: LATENCIES,
      warmupUsers: WARMUP_USERS,
      pauseMs: PAUSE_MS,
      webDatabasePoolSize: POOL_SIZE === undefined ? "default (5)" : Number(POOL_SIZE),
      goalP99Ms: GOAL_P99_MS,
    },
    build: build!,
    series,
    checks: {
      answers,
      database: v,
      stripeCalls: stripeCalls!,
      serverLog: serverLog!,
      backendLog: backendLog!,
      cleanup,
    },
    batches,
    samples,
  },
  summary,
);
