// Vercel BotID: invisible bot detection, only where the web app is deployed on Vercel. The browser part
// (`initBotId({ protect: [{ path, method }] })` from `botid/client/core` and `withBotId` in next.config) marks
// protected requests; on the server `checkBotId()` asks Vercel's classifier about the current request, which it reads
// from Vercel's request context.
//
// Guarantees: a request is accepted only when BotID positively classified it as human. Everything else fails closed:
// a bot (verified bots such as crawlers included), a bypassed or inconclusive answer, an error, no answer within the
// timeout, or running outside Vercel (no request context or OIDC token).
// Does not: work anywhere but on Vercel (use the proof-of-work check elsewhere), or stop humans paid to sign up.
import { checkBotId } from "botid/server";
import type { BotCheck, BotCheckResult } from "./bot-check.ts";

export interface BotIdCheckOptions {
  /** BotID's analysis level; `deepAnalysis` needs BotID Deep Analysis enabled on the Vercel project. Default basic. */
  readonly checkLevel?: "basic" | "deepAnalysis";
  /** Give up (and refuse) when BotID has not answered within this many ms. Default 5,000. */
  readonly timeoutMs?: number;
}

/** The BotID check. See the comment at the top of this file for what it does and does not guarantee. */
export function createBotIdCheck(options: BotIdCheckOptions = {}): BotCheck {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    kind: "botid",
    createChallenge() {
      return Promise.resolve(null);
    },
    async verify(input): Promise<BotCheckResult> {
      let timer: NodeJS.Timeout | undefined;
      try {
        const verdict = await Promise.race([
          checkBotId({
            // Never BotID's development shortcut, which answers "human" without asking anyone.
            developmentOptions: { isDevelopment: false },
            advancedOptions: { checkLevel: options.checkLevel ?? "basic", headers: toIncomingHeaders(input.headers) },
          }),
          new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), timeoutMs);
          }),
        ]);
        if (verdict === "timeout") return { ok: false, reason: "unavailable" };
        if (verdict.isBot || verdict.isVerifiedBot) return { ok: false, reason: "bot" };
        if (verdict.isHuman && !verdict.bypassed) return { ok: true };
        return { ok: false, reason: "unavailable" };
      } catch {
        return { ok: false, reason: "unavailable" };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function toIncomingHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers.entries());
}
