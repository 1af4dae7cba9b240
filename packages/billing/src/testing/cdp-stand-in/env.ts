import { z } from "zod";
import { loadApiKey, loadWalletKey } from "./credentials.ts";

/**
 * The configuration of the stand-in's command (main.ts), from the environment. Every error names its variable.
 * The CDP_* names are the billing config's, so one set of variables configures both the app and its stand-in.
 */

const nonEmpty = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, `${name} is empty`);
/** Whether `load` accepts the value (the stand-in needs the key's public half). */
const loads = (load: (value: string) => unknown) => (value: string) => {
  try {
    load(value);
    return true;
  } catch {
    return false;
  }
};
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const schema = z.object({
  /** The port to listen on. Default 0: any free port (printed on start). */
  CDP_STAND_IN_PORT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{1,5}$/, "CDP_STAND_IN_PORT must be a port number (0-65535)")
      .transform(Number)
      .refine((port) => port <= 65_535, "CDP_STAND_IN_PORT must be a port number (0-65535)")
      .default(0),
  ),
  /** The interface to listen on. Default 127.0.0.1. */
  CDP_STAND_IN_HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default("127.0.0.1")),
  CDP_API_KEY_ID: nonEmpty("CDP_API_KEY_ID"),
  CDP_API_KEY_SECRET: nonEmpty("CDP_API_KEY_SECRET").refine(
    loads(loadApiKey),
    "CDP_API_KEY_SECRET must be an Ed25519 key as base64 of 64 bytes (seed, then public key) or an EC P-256 PEM key",
  ),
  CDP_WALLET_SECRET: nonEmpty("CDP_WALLET_SECRET").refine(
    loads(loadWalletKey),
    "CDP_WALLET_SECRET must be base64 of a DER (PKCS#8) EC P-256 private key",
  ),
  CDP_WEBHOOK_SECRET: nonEmpty("CDP_WEBHOOK_SECRET"),
  /** Where webhooks go (the app's CDP webhook route). Unset: set later with POST /_standin/webhook-url. */
  CDP_STAND_IN_WEBHOOK_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: "CDP_STAND_IN_WEBHOOK_URL must be an http(s) URL" }).optional(),
  ),
});

export type CdpStandInEnv = z.infer<typeof schema>;

export type ParseEnvResult = { ok: true; env: CdpStandInEnv } | { ok: false; errors: string[] };

export function parseCdpStandInEnv(source: Readonly<Record<string, string | undefined>>): ParseEnvResult {
  const result = schema.safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => {
      const variable = issue.path.map(String).join(".");
      return issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
    }),
  };
}
