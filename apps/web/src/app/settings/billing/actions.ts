"use server";

import { BillingError, createUsdcInvoice, openBillingPortal, startCheckout } from "@agentbot/billing";
import { billingIntervals, PlanId } from "@agentbot/plans";
import type { Route } from "next";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "../../../env.ts";
import type { ActionState } from "../../../lib/account-views.ts";
import { billing } from "../../../server/billing.ts";
import { services } from "../../../server/infra.ts";
import { getViewer } from "../../../server/session.ts";

/**
 * The billing page's server actions: start a card checkout, open the card portal, create a USDC invoice. Next.js
 * refuses a server action from another origin (CSRF); each re-reads the session. A successful action redirects (to
 * Stripe's hosted page, or the invoice); a refusal comes back as form state with a readable message.
 */

const signedOut: ActionState = { ok: false, message: "Your session has ended. Sign in again." };
const PlanChoice = z.object({ plan: PlanId, interval: z.enum(billingIntervals) });

function choice(data: FormData) {
  return PlanChoice.safeParse({ plan: data.get("plan"), interval: data.get("interval") ?? "month" });
}

function refusal(error: unknown, what: string): ActionState {
  if (error instanceof BillingError) return { ok: false, message: error.message };
  console.error(`[web] ${what} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : "unknown"}`);
  return { ok: false, message: `${what[0]!.toUpperCase()}${what.slice(1)} failed. Please try again in a moment.` };
}

export async function startCardCheckoutAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null) return signedOut;
  const parsed = choice(data);
  if (!parsed.success) return { ok: false, message: "Choose a plan and a billing interval." };
  const { config, stripe } = billing();
  if (stripe === null) return { ok: false, message: "Card payment is not configured on this installation." };
  let url: string;
  try {
    ({ url } = await startCheckout(
      { db: services().db, stripe, catalog: config.catalog },
      {
        user: { id: viewer.user.id, email: viewer.user.email, name: viewer.user.name },
        plan: parsed.data.plan,
        interval: parsed.data.interval,
        successUrl: new URL("/settings/billing?checkout=success&session={CHECKOUT_SESSION_ID}", env.APP_URL)
          .toString()
          .replace("%7BCHECKOUT_SESSION_ID%7D", "{CHECKOUT_SESSION_ID}"),
        cancelUrl: new URL("/settings/billing?checkout=canceled", env.APP_URL).toString(),
        trialDays: config.trialDays,
      },
    ));
  } catch (error) {
    return refusal(error, "starting the checkout");
  }
  // An external URL (Stripe's hosted page): typed routes only know our own paths.
  redirect(url as Route);
}

export async function openCardPortalAction(_state: ActionState, _data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null) return signedOut;
  const { stripe } = billing();
  if (stripe === null) return { ok: false, message: "Card payment is not configured on this installation." };
  let url: string;
  try {
    ({ url } = await openBillingPortal(
      { db: services().db, stripe },
      { userId: viewer.user.id, returnUrl: new URL("/settings/billing", env.APP_URL).toString() },
    ));
  } catch (error) {
    return refusal(error, "opening the billing portal");
  }
  // An external URL (Stripe's hosted page): typed routes only know our own paths.
  redirect(url as Route);
}

export async function createUsdcInvoiceAction(_state: ActionState, data: FormData): Promise<ActionState> {
  const viewer = await getViewer();
  if (viewer === null) return signedOut;
  const parsed = choice(data);
  if (!parsed.success) return { ok: false, message: "Choose a plan and a period." };
  const { usdc } = billing();
  if (usdc === null) return { ok: false, message: "USDC payment is not configured on this installation." };
  let invoiceId: string;
  try {
    ({ id: invoiceId } = await createUsdcInvoice(usdc, {
      userId: viewer.user.id,
      plan: parsed.data.plan,
      interval: parsed.data.interval,
    }));
  } catch (error) {
    return refusal(error, "creating the USDC invoice");
  }
  redirect(`/settings/billing/usdc/${invoiceId}`);
}
