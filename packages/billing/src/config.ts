import { billingIntervals, defaultTrialDays, planIds } from "@agentbot/plans";
import { z } from "zod";
import { createBillingCatalog } from "./rules/catalog.ts";
import type { BillingCatalog, StripePriceIds } from "./rules/catalog.ts";
import type { UsdcNetwork } from "./usdc/usdc-networks.ts";

/**
 * Billing's configuration, the same for the web app (checkout, webhooks, pages) and the backend (suspension, emails,
 * USDC renewals). Each app's env module spreads `billingEnvShape` into its own schema and passes the parsed values to
 * `billingConfigFromEnv`. A provider is on only when every variable it needs is set; a partial setup (a key without
 * its webhook secret) fails at boot naming what is missing, rather than half-working.
 */

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = (schema: z.ZodString) => z.preprocess(emptyAsUndefined, schema.optional());
const optionalUrl = z.preprocess(emptyAsUndefined, z.url().optional());
const intWithDefault = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** `STRIPE_PRICE_SOLO_MONTHLY`, `STRIPE_PRICE_SOLO_YEARLY`, … one per plan and interval. */
export const stripePriceVariables = planIds.flatMap((plan) =>
  billingIntervals.map((interval) => ({
    plan,
    interval,
    name: `STRIPE_PRICE_${plan.toUpperCase()}_${interval === "month" ? "MONTHLY" : "YEARLY"}`,
  })),
);

export const billingEnvShape = {
  /** Stripe secret key (`sk_…`). Unset: card payment is off and the billing pages say so. */
  STRIPE_SECRET_KEY: optionalString(z.string().regex(/^(sk|rk)_/, "must be a Stripe secret key (sk_… or rk_…)")),
  /** The webhook endpoint's signing secret (`whsec_…`); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: optionalString(z.string().regex(/^whsec_/, "must be a Stripe webhook secret (whsec_…)")),
  /** Where Stripe's API is; unset for api.stripe.com. Tests point it at the local stand-in. */
  STRIPE_API_BASE: optionalUrl,
  ...Object.fromEntries(
    stripePriceVariables.map(({ name }) => [
      name,
      optionalString(z.string().regex(/^price_/, "must be a Stripe price id (price_…)")),
    ]),
  ),
  /** Days of trial for a first card subscription (0: none). */
  BILLING_TRIAL_DAYS: intWithDefault(0, 90, defaultTrialDays),
  /** Days a past-due account keeps its agents running before they are suspended. */
  BILLING_GRACE_DAYS: intWithDefault(0, 60, 3),
  /** CDP API key id and secret, and the wallet secret (server wallets). Unset: USDC payment is off. */
  CDP_API_KEY_ID: optionalString(z.string().min(1)),
  CDP_API_KEY_SECRET: optionalString(z.string().min(1)),
  CDP_WALLET_SECRET: optionalString(z.string().min(1)),
  /** The CDP webhook subscription's secret (signs X-Hook0-Signature); required with the CDP keys. */
  CDP_WEBHOOK_SECRET: optionalString(z.string().min(16, "must be the webhook subscription's secret")),
  /** Where CDP's API is; unset for api.cdp.coinbase.com. Tests point it at the local stand-in. */
  CDP_API_BASE: optionalUrl,
  /** The network USDC is paid on: `base-mainnet`, or `base-sepolia` (testnet) for trials. */
  BILLING_USDC_NETWORK: z.preprocess(
    emptyAsUndefined,
    z.enum(["base-mainnet", "base-sepolia"]).default("base-mainnet"),
  ),
  /** How long a USDC invoice may be paid, in hours. */
  BILLING_USDC_INVOICE_HOURS: intWithDefault(1, 24 * 30, 48),
} as const;

export type BillingEnv = { readonly [K in keyof typeof billingEnvShape]?: unknown };

export interface StripeBillingConfig {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly apiBase?: URL;
}

export interface UsdcBillingConfig {
  readonly apiKeyId: string;
  readonly apiKeySecret: string;
  readonly walletSecret: string;
  readonly webhookSecret: string;
  readonly apiBase?: string;
  readonly network: UsdcNetwork;
  readonly invoiceTtlMs: number;
}

export interface BillingConfig {
  /** Null: card payment is not configured on this installation. */
  readonly stripe: StripeBillingConfig | null;
  /** Null: USDC payment is not configured on this installation. */
  readonly usdc: UsdcBillingConfig | null;
  readonly catalog: BillingCatalog;
  readonly trialDays: number;
  readonly gracePeriodMs: number;
}

function all<T extends string>(values: Record<T, unknown>, what: string): Record<T, string> | null {
  const entries = Object.entries(values) as [T, unknown][];
  const set = entries.filter(([, value]) => typeof value === "string" && value !== "");
  if (set.length === 0) return null;
  const missing = entries.filter(([, value]) => typeof value !== "string" || value === "").map(([name]) => name);
  if (missing.length > 0) throw new Error(`${what} is partly configured: set ${missing.join(", ")} as well`);
  return values as Record<T, string>;
}

/** Builds the billing configuration from an app's parsed environment (see `billingEnvShape`). */
export function billingConfigFromEnv(env: BillingEnv): BillingConfig {
  const stripe = all(
    { STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET },
    "Card payment (Stripe)",
  );
  const cdp = all(
    {
      CDP_API_KEY_ID: env.CDP_API_KEY_ID,
      CDP_API_KEY_SECRET: env.CDP_API_KEY_SECRET,
      CDP_WALLET_SECRET: env.CDP_WALLET_SECRET,
      CDP_WEBHOOK_SECRET: env.CDP_WEBHOOK_SECRET,
    },
    "USDC payment (Coinbase CDP)",
  );
  const prices: StripePriceIds = {};
  for (const { plan, interval, name } of stripePriceVariables) {
    const value = (env as Record<string, unknown>)[name];
    if (typeof value === "string" && value !== "") prices[`${plan}:${interval}`] = value;
  }
  if (stripe !== null && Object.keys(prices).length === 0) {
    throw new Error(
      `Card payment (Stripe) is configured but sells nothing: set at least one of ${stripePriceVariables.map((v) => v.name).join(", ")}`,
    );
  }
  const apiBase = typeof env.STRIPE_API_BASE === "string" ? new URL(env.STRIPE_API_BASE) : undefined;
  return {
    stripe:
      stripe === null
        ? null
        : {
            secretKey: stripe.STRIPE_SECRET_KEY,
            webhookSecret: stripe.STRIPE_WEBHOOK_SECRET,
            ...(apiBase === undefined ? {} : { apiBase }),
          },
    usdc:
      cdp === null
        ? null
        : {
            apiKeyId: cdp.CDP_API_KEY_ID,
            apiKeySecret: cdp.CDP_API_KEY_SECRET,
            walletSecret: cdp.CDP_WALLET_SECRET,
            webhookSecret: cdp.CDP_WEBHOOK_SECRET,
            ...(typeof env.CDP_API_BASE === "string" ? { apiBase: env.CDP_API_BASE } : {}),
            network: (env.BILLING_USDC_NETWORK as UsdcNetwork | undefined) ?? "base-mainnet",
            invoiceTtlMs: Number(env.BILLING_USDC_INVOICE_HOURS ?? 48) * 3_600_000,
          },
    catalog: createBillingCatalog(prices),
    trialDays: Number(env.BILLING_TRIAL_DAYS ?? defaultTrialDays),
    gracePeriodMs: Number(env.BILLING_GRACE_DAYS ?? 3) * 86_400_000,
  };
}
