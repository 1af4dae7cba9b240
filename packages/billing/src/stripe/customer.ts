import type { Db } from "@agentbot/db";
import type Stripe from "stripe";

/**
 * The user's one Stripe customer: created the first time they pay by card, its id kept in BillingAccount and reused
 * for every later checkout and portal session. The idempotency key is per user, so concurrent first checkouts (two
 * tabs) get the same customer from Stripe rather than two.
 */
export async function ensureStripeCustomer(
  db: Db,
  stripe: Stripe,
  user: { readonly id: string; readonly email: string; readonly name: string },
): Promise<string> {
  const account = await db.billingAccount.findUnique({ where: { userId: user.id } });
  if (account?.stripeCustomerId) return account.stripeCustomerId;
  const customer = await stripe.customers.create(
    { email: user.email, name: user.name, metadata: { userId: user.id } },
    { idempotencyKey: `agentbot-customer-${user.id}` },
  );
  await db.billingAccount.upsert({
    where: { userId: user.id },
    create: { userId: user.id, stripeCustomerId: customer.id },
    update: { stripeCustomerId: customer.id },
  });
  return customer.id;
}
