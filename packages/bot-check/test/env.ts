import { testRedisUrl as readTestRedisUrl } from "@agentbot/kv/testing";

// Tests need a real Redis; `./agentbot test` provides one. Missing is a failure, never a skip.
export const testRedisUrl = readTestRedisUrl();

/**
 * Points `botid/server` at a local fake of Vercel's BotID API. The library reads this variable (its own override for
 * testing) on every check, so it has to be set in the environment; nothing outside tests sets it.
 */
export function pointBotIdAt(baseUrl: string | undefined): void {
  if (baseUrl === undefined) delete process.env.OVERRIDE_BOTID_SERVER_URL;
  else process.env.OVERRIDE_BOTID_SERVER_URL = baseUrl;
}

/** BotID falls back to this variable for its OIDC token; tests of "outside Vercel" need it absent. */
export function vercelOidcTokenIsSet(): boolean {
  return process.env.VERCEL_OIDC_TOKEN !== undefined;
}
