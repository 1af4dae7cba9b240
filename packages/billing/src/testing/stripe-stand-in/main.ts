/**
 * The Stripe stand-in as a process, for a Playwright `webServer`:
 *   node packages/billing/src/testing/stripe-stand-in/main.ts
 * Configured by the environment (checked before anything starts; a bad value exits 1 naming the variable):
 *   STRIPE_STAND_IN_PORT          required: the port to listen on (0: any free one; the line below says which)
 *   STRIPE_SECRET_KEY             required: the key API requests must present (sk_… or rk_…)
 *   STRIPE_WEBHOOK_SECRET         required: the webhook signing secret (whsec_…)
 *   STRIPE_STAND_IN_WEBHOOK_URL   optional: where events are delivered (settable later: POST /_standin/webhook_url)
 *   STRIPE_STAND_IN_PRICES        optional: JSON array of StandInPrice ({ id, unitAmount, currency, interval,
 *                                 product? }); default none
 *   STRIPE_STAND_IN_HOST          optional: the address to listen on; default 127.0.0.1
 * Prints `stripe stand-in listening on <url>` once it answers; `GET /_standin/health` answers 200 from then on (the
 * URL to give Playwright). SIGTERM or SIGINT: waits for deliveries under way, stops, exits 0.
 */
import { z } from "zod";
import { startStripeStandIn } from "./index.ts";

const priceShape = z
  .object({
    id: z.string().regex(/^price_\w+$/, "a price id is price_…"),
    unitAmount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[a-z]{3}$/, "a lower-case ISO currency code (usd)"),
    interval: z.enum(["month", "year"]),
    product: z.string().min(1).optional(),
  })
  .strict();

const pricesJson = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "must be JSON (an array of prices)" });
    return z.NEVER;
  }
});

const envShape = z.object({
  STRIPE_STAND_IN_PORT: z.coerce.number().int().min(0).max(65_535),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_\w+$/, "must be a Stripe secret key (sk_… or rk_…)"),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, "must be a Stripe webhook secret (whsec_…)"),
  STRIPE_STAND_IN_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  STRIPE_STAND_IN_PRICES: pricesJson.pipe(z.array(priceShape)).default([]),
  STRIPE_STAND_IN_HOST: z.string().min(1).default("127.0.0.1"),
});

function readEnv(env: Record<string, string | undefined>) {
  // An empty variable means unset, as in the apps' env modules (Playwright passes "" for a missing value).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envShape.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const [name, ...rest] = issue.path.map(String);
    const where = rest.length === 0 ? "" : ` (at ${rest.join(".")})`;
    return `  ${name ?? "environment"}${where}: ${issue.message}`;
  });
  process.stderr.write(`stripe stand-in: invalid environment:\n${problems.join("\n")}\n`);
  process.exit(1);
}

// This file is the stand-in's one env module: nothing else in it reads the environment.
// eslint-disable-next-line no-restricted-properties -- the validated env module of this process (see above)
const env = readEnv(process.env);
const standIn = await startStripeStandIn({
  secretKey: env.STRIPE_SECRET_KEY,
  webhookSecret: env.STRIPE_WEBHOOK_SECRET,
  ...(env.STRIPE_STAND_IN_WEBHOOK_URL === undefined ? {} : { webhookUrl: env.STRIPE_STAND_IN_WEBHOOK_URL }),
  prices: env.STRIPE_STAND_IN_PRICES,
  host: env.STRIPE_STAND_IN_HOST,
  port: env.STRIPE_STAND_IN_PORT,
});
process.stdout.write(`stripe stand-in listening on ${standIn.url}\n`);

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  standIn.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`stripe stand-in: stopping on ${signal} failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
