// @agentbot/bot-check: the bot check in front of sign-up. Proof of work (ALTCHA) everywhere, Vercel BotID where the
// web app runs on Vercel. Both fail closed.
import type { BotCheck } from "./bot-check.ts";
import { createBotIdCheck } from "./botid.ts";
import type { BotIdCheckOptions } from "./botid.ts";
import { createPowBotCheck, powDefaults } from "./pow.ts";
import type { PowBotCheckOptions } from "./pow.ts";

export type { AltchaChallenge, BotCheck, BotCheckFailureReason, BotCheckInput, BotCheckResult } from "./bot-check.ts";
export { createBotIdCheck, createPowBotCheck, powDefaults };
export type { BotIdCheckOptions, PowBotCheckOptions };

export type BotCheckConfig =
  ({ readonly provider: "pow" } & PowBotCheckOptions) | ({ readonly provider: "botid" } & BotIdCheckOptions);

/** The configured bot check: `pow` (self-hosted, works everywhere) or `botid` (only when deployed on Vercel). */
export function createBotCheck(config: BotCheckConfig): BotCheck {
  switch (config.provider) {
    case "pow":
      return createPowBotCheck(config);
    case "botid":
      return createBotIdCheck(config);
  }
}
