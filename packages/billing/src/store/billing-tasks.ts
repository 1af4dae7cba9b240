import { newId } from "@agentbot/db";
import type { DbOrTx } from "@agentbot/db";

/**
 * The billing outbox. Work that must follow a billing change (an email, re-evaluating suspension) is written in the
 * same transaction as the change, so it happens if and only if the change committed; the backend's billing worker
 * carries it out with retries. A `dedupeKey` makes work happen once per thing (one receipt per invoice), whatever
 * replays or retries do. `pg_notify` wakes the worker at commit (a notification sent inside a transaction is
 * delivered only if it commits); the worker also polls, so a missed notification only delays.
 */

export const BILLING_TASKS_CHANNEL = "billing_tasks";

export type BillingTaskInput =
  | {
      readonly kind: "email";
      readonly userId: string;
      readonly payload: BillingEmail;
      readonly dedupeKey: string;
      readonly runAfter?: Date;
    }
  | {
      readonly kind: "enforce";
      readonly userId: string;
      readonly payload?: Record<string, never>;
      readonly dedupeKey?: string;
      readonly runAfter?: Date;
    };

/** The emails billing sends, with the facts each shows; the worker renders them with @agentbot/email's templates. */
export type BillingEmail =
  | {
      readonly template: "billing_receipt";
      readonly method: "card" | "usdc";
      readonly reference: string;
      readonly amount: string;
      readonly planName: string;
      readonly periodEnd: string | null;
    }
  | {
      readonly template: "billing_payment_failed";
      readonly reference: string;
      readonly amount: string;
      readonly actionRequired: boolean;
    }
  | { readonly template: "billing_trial_ending"; readonly trialEnd: string; readonly planName: string }
  | { readonly template: "billing_agents_suspended"; readonly reason: string; readonly agentNames: readonly string[] }
  | { readonly template: "billing_agents_resumed"; readonly agentNames: readonly string[] }
  | { readonly template: "billing_usdc_invoice"; readonly invoiceId: string };

export async function enqueueBillingTask(db: DbOrTx, task: BillingTaskInput): Promise<void> {
  await db.billingTask.createMany({
    data: [
      {
        id: newId("billingTask"),
        userId: task.userId,
        kind: task.kind,
        payload: task.payload ?? {},
        dedupeKey: task.dedupeKey ?? null,
        runAfter: task.runAfter ?? new Date(),
      },
    ],
    skipDuplicates: true,
  });
  await db.$executeRaw`SELECT pg_notify(${BILLING_TASKS_CHANNEL}, '')`;
}
