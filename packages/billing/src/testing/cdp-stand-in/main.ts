/**
 * The CDP stand-in as a process, for browser tests and local runs:
 *
 *   node packages/billing/src/testing/cdp-stand-in/main.ts      (Node 24 runs the TypeScript as is)
 *
 * Environment (validated; a bad or missing variable is named on stderr and the process exits with status 2):
 * - CDP_API_KEY_ID, CDP_API_KEY_SECRET, CDP_WALLET_SECRET: the credentials the app's CdpClient signs with (the same
 *   variables the billing config reads; generateCdpTestCredentials() makes a set). Required.
 * - CDP_WEBHOOK_SECRET: the webhook subscription secret the app verifies X-Hook0-Signature with. Required.
 * - CDP_STAND_IN_WEBHOOK_URL: the app's CDP webhook route. Optional: also settable with POST /_standin/webhook-url.
 * - CDP_STAND_IN_PORT: default 0 (any free port); CDP_STAND_IN_HOST: default 127.0.0.1.
 *
 * Once listening it prints one JSON line on stdout: `{"event":"listening","origin":…,"basePath":…,"port":…}`.
 * Give the app CDP_API_BASE=<basePath>, and (in the app's process, the SDK reads them there) set
 * DISABLE_CDP_USAGE_TRACKING=true and DISABLE_CDP_ERROR_REPORTING=true so the SDK reports nothing to Coinbase.
 * Control plane: GET /_standin/health; POST /_standin/transfer with `{ to, value: "<base units>", contract?,
 * network?, from?, transactionHash?, logIndex?, blockNumber?, timestamp? }` answers the delivery result as JSON
 * (see server.ts for all of it). Stops on SIGTERM or SIGINT (exit status 0).
 */
import { parseCdpStandInEnv } from "./env.ts";
import { startCdpStandIn } from "./server.ts";

// This process's one read of its environment, validated right here (env.ts).
// eslint-disable-next-line no-restricted-properties -- the stand-in's env module sits below testing/, off the glob
const parsed = parseCdpStandInEnv(process.env);
if (!parsed.ok) {
  for (const error of parsed.errors) console.error(`cdp-stand-in: ${error}`);
  process.exit(2);
}
const { env } = parsed;

const standIn = await startCdpStandIn({
  apiKeyId: env.CDP_API_KEY_ID,
  apiKeySecret: env.CDP_API_KEY_SECRET,
  walletSecret: env.CDP_WALLET_SECRET,
  webhookSecret: env.CDP_WEBHOOK_SECRET,
  ...(env.CDP_STAND_IN_WEBHOOK_URL === undefined ? {} : { webhookUrl: env.CDP_STAND_IN_WEBHOOK_URL }),
  host: env.CDP_STAND_IN_HOST,
  port: env.CDP_STAND_IN_PORT,
});
const port = Number(new URL(standIn.origin).port);
console.log(JSON.stringify({ event: "listening", origin: standIn.origin, basePath: standIn.basePath, port }));

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  standIn.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`cdp-stand-in: stopping on ${signal} failed:`, error);
      process.exit(1);
    },
  );
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
