import {
  BILLING_TASKS_CHANNEL,
  enqueueBillingTask,
  expireUsdcInvoices,
  processPendingStripeEvents,
  refreshDueEntitlements,
  sendUsdcRenewals,
} from "@agentbot/billing";
import type { BillingEmail } from "@agentbot/billing";
import pg from "pg";
import { ACTIVE_AGENT_STATUSES } from "../agents/run-gate.ts";
import { createPeriodicTask } from "../agents/periodic-task.ts";
import { sendBillingEmail } from "./billing-emails.ts";
import type { BillingServices } from "./billing-services.ts";
import { enforceBilling } from "./enforce-billing.ts";

/**
 * The backend's billing worker. It applies the Stripe events the web app's webhook route put in the inbox
 * (processPendingStripeEvents: exactly once, failures retried with backoff), then drains the billing outbox
 * (BillingTask rows the webhooks and the billing rules wrote in the same transaction as a change): emails, and
 * enforcement passes that suspend or resume agents.
 * Tasks are claimed with FOR UPDATE SKIP LOCKED and a lease (a claimed task's `run_after` moves 2 minutes ahead, so a
 * worker that dies mid-task hands it to the next one), retried with exponential backoff, and given up (logged as an
 * error, kept with its last error) after 12 attempts. LISTEN on the outbox's channel (which the webhook route also
 * notifies) wakes it once a burst of notifications pauses (at most 0.5 s later); it also polls.
 *
 * The sweep (every BILLING_SWEEP_INTERVAL_MS) covers what time alone changes: USDC periods and grants that begin or
 * end, invoices that expire, renewal invoices due, grace periods that ended, and any user whose agents run without a
 * plan in force (a safety net for a missed task).
 */

const CLAIM_LEASE_MS = 120_000;
const MAX_ATTEMPTS = 12;
const RENEWAL_LEAD_MS = 3 * 86_400_000;
// Events applied side by side (each holds a database connection for a Stripe round trip); below the pool's size.
const STRIPE_EVENT_CONCURRENCY = 4;
const WAKE_QUIET_MS = 50;
const WAKE_MAX_DELAY_MS = 500;

interface ClaimedTask {
  id: string;
  user_id: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

export function createBillingWorker(
  services: BillingServices,
  options: { readonly databaseUrl: string; readonly sweepIntervalMs: number; readonly pollIntervalMs?: number },
) {
  const { db, logger } = services;
  const log = logger.child({ component: "billing" });
  let draining: Promise<number> | null = null;
  let again = false;
  let lastSweepAt = new Date(services.now().getTime() - options.sweepIntervalMs);
  let listener: pg.Client | null = null;
  let stopped = true;

  async function claim(limit: number): Promise<ClaimedTask[]> {
    return db.$queryRaw<ClaimedTask[]>`
      UPDATE billing_tasks SET attempts = attempts + 1,
        run_after = now() + make_interval(secs => ${CLAIM_LEASE_MS / 1000})
      WHERE id IN (
        SELECT id FROM billing_tasks WHERE done_at IS NULL AND run_after <= now()
        ORDER BY run_after LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, user_id, kind, payload, attempts`;
  }

  async function runTask(task: ClaimedTask): Promise<void> {
    try {
      const outcome =
        task.kind === "email"
          ? await sendBillingEmail(services, task.user_id, task.payload as BillingEmail)
          : await enforceBilling(services, task.user_id);
      await db.billingTask.update({ where: { id: task.id }, data: { doneAt: new Date(), lastError: null } });
      log.info({ task: task.id, kind: task.kind, userId: task.user_id, outcome }, "billing task done");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = task.attempts >= MAX_ATTEMPTS;
      const backoffMs = Math.min(3_600_000, 2_000 * 2 ** (task.attempts - 1));
      await db.billingTask.update({
        where: { id: task.id },
        data: giveUp
          ? { doneAt: new Date(), lastError: `gave up after ${task.attempts} attempts: ${message}` }
          : { lastError: message, runAfter: new Date(Date.now() + backoffMs) },
      });
      const fields = { task: task.id, kind: task.kind, userId: task.user_id, attempts: task.attempts, err: error };
      if (giveUp) log.error(fields, "billing task failed for good");
      else log.warn({ ...fields, retryInMs: backoffMs }, "billing task failed; will retry");
    }
  }

  /** Applies the Stripe events waiting in the inbox; what they change queues tasks, drained right after. */
  async function applyStripeEvents(): Promise<void> {
    if (services.stripe === null) return;
    const drained = await processPendingStripeEvents(
      { db, stripe: services.stripe, catalog: services.config.catalog, now: services.now },
      { concurrency: STRIPE_EVENT_CONCURRENCY },
    );
    if (drained.processed + drained.ignored > 0) {
      log.info({ processed: drained.processed, ignored: drained.ignored }, "stripe events applied");
    }
    for (const failure of drained.failures) {
      const fields = { eventId: failure.eventId, attempts: failure.attempts, error: failure.message };
      if (failure.gaveUp) log.error(fields, "stripe event failed for good");
      else log.warn(fields, "stripe event failed; will retry");
    }
  }

  /**
   * Applies pending Stripe events, then runs every task that is due (in batches), and answers how many tasks ran.
   * One drain at a time per process; a wake-up during a drain runs it once more.
   */
  async function drainOnce(): Promise<number> {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      let ran = 0;
      do {
        again = false;
        await applyStripeEvents();
        for (;;) {
          const batch = await claim(10);
          if (batch.length === 0) break;
          for (const task of batch) await runTask(task);
          ran += batch.length;
        }
      } while (again);
      return ran;
    })().finally(() => {
      draining = null;
    });
    return draining;
  }

  async function sweepOnce(): Promise<void> {
    const now = services.now();
    // Overlap the windows a little: refreshing twice is harmless, missing a boundary is not.
    const since = new Date(lastSweepAt.getTime() - 60_000);
    lastSweepAt = now;
    await refreshDueEntitlements(db, since, now);
    await expireUsdcInvoices(db, now);
    if (services.usdc !== null) await sendUsdcRenewals(services.usdc, RENEWAL_LEAD_MS);
    const graceStart = new Date(now.getTime() - services.config.gracePeriodMs);
    const overdue = await db.user.findMany({
      where: {
        role: { not: "admin" },
        OR: [
          { subscriptionStatus: "past_due", billingAccount: { pastDueSince: { lte: graceStart }, suspendedAt: null } },
          {
            subscriptionStatus: { notIn: ["trialing", "active", "past_due"] },
            agents: { some: { deletedAt: null, status: { in: [...ACTIVE_AGENT_STATUSES] } } },
            OR: [{ billingAccount: null }, { billingAccount: { suspendedAt: null } }],
          },
        ],
      },
      select: { id: true },
      take: 500,
    });
    for (const { id } of overdue) await enqueueBillingTask(db, { kind: "enforce", userId: id });
    await drainOnce();
  }

  const sweeper = createPeriodicTask(options.sweepIntervalMs, sweepOnce, (error) =>
    log.warn({ err: error }, "billing sweep failed"),
  );
  const poller = createPeriodicTask(options.pollIntervalMs ?? 5_000, drainOnce, (error) =>
    log.warn({ err: error }, "billing task drain failed"),
  );

  // A burst of webhook deliveries notifies once per event, a few ms apart. Draining waits until the notifications
  // pause (WAKE_QUIET_MS), but never longer than WAKE_MAX_DELAY_MS after the first: on a small machine, applying
  // events (~10 ms of CPU each) while the web app is still answering the burst's deliveries slows those answers,
  // which Stripe times; a few hundred ms later the events are applied all the same.
  let wakeTimer: NodeJS.Timeout | null = null;
  let firstWakeAt = 0;
  function wake(): void {
    if (stopped) return;
    const now = Date.now();
    if (wakeTimer === null) firstWakeAt = now;
    else clearTimeout(wakeTimer);
    const delay = Math.max(0, Math.min(WAKE_QUIET_MS, firstWakeAt + WAKE_MAX_DELAY_MS - now));
    wakeTimer = setTimeout(() => {
      wakeTimer = null;
      void drainOnce().catch((error: unknown) => log.warn({ err: error }, "drain failed"));
    }, delay);
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on("error", (error) => log.warn({ err: error }, "billing LISTEN connection failed; polling only"));
    client.on("notification", wake);
    await client.connect();
    await client.query(`LISTEN ${BILLING_TASKS_CHANNEL}`);
    listener = client;
  }

  return {
    drainOnce,
    sweepOnce,
    async start() {
      if (!stopped) return;
      stopped = false;
      await listen().catch((error: unknown) => log.warn({ err: error }, "billing LISTEN failed; polling only"));
      poller.start();
      sweeper.start();
      void drainOnce().catch((error: unknown) => log.warn({ err: error }, "billing task drain failed"));
    },
    async stop() {
      stopped = true;
      if (wakeTimer !== null) clearTimeout(wakeTimer);
      wakeTimer = null;
      await Promise.allSettled([poller.stop(), sweeper.stop()]);
      await draining?.catch(() => undefined);
      await listener?.end().catch(() => undefined);
      listener = null;
    },
  };
}

export type BillingWorker = ReturnType<typeof createBillingWorker>;
