import { randomUUID } from "node:crypto";
import type { Db } from "@agentbot/db";
import type Stripe from "stripe";
import { BillingError } from "../errors.ts";

/** A Customer Portal session (plan changes, payment methods, invoices, cancellation) for the user's customer. */
export async function openBillingPortal(
  deps: { readonly db: Db; readonly stripe: Stripe },
  input: { readonly userId: string; readonly returnUrl: string },
): Promise<{ readonly url: string }> {
  const account = await deps.db.billingAccount.findUnique({ where: { userId: input.userId } });
  if (!account?.stripeCustomerId) {
    throw new BillingError("no_customer", "there is no card billing to manage yet: choose a plan first");
  }
  const session = await deps.stripe.billingPortal.sessions.create(
    { customer: account.stripeCustomerId, return_url: input.returnUrl },
    { idempotencyKey: `agentbot-portal-${randomUUID()}` },
  );
  return { url: session.url };
}
