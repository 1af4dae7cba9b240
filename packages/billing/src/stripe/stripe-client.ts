import Stripe from "stripe";

export interface StripeConnection {
  /** The secret API key (`sk_live_…` / `sk_test_…`). Never logged, never sent to a browser. */
  readonly secretKey: string;
  /**
   * Where Stripe's API is: unset for api.stripe.com. Tests and local runs point it at the stand-in
   * (`@agentbot/billing/testing`), which the SDK talks to exactly as it talks to Stripe.
   */
  readonly apiBase?: URL;
}

/** The official SDK on our terms: retries on network errors and 409/429/5xx (with our idempotency keys), a timeout. */
export function createStripeClient(connection: StripeConnection): Stripe {
  const base = connection.apiBase;
  return new Stripe(connection.secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    appInfo: { name: "agentbot" },
    ...(base === undefined
      ? {}
      : {
          host: base.hostname,
          port: base.port === "" ? (base.protocol === "https:" ? 443 : 80) : Number(base.port),
          protocol: base.protocol === "https:" ? "https" : "http",
        }),
  });
}

export type { Stripe };
