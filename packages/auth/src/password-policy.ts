// The password policy: 10 to 128 characters and not guessable, judged by zxcvbn (dictionaries of common passwords,
// names and words, keyboard patterns, dates, repeats, l33t substitutions). The message tells the person what to do.
//
// Guarantees: a password scoring below 3 of 4 ("safely unguessable: moderate protection from offline slow-hash
// attacks") or containing the person's own email or name is refused. Does not: check breach corpora (no network
// lookups), or stop a person from reusing a password they use elsewhere.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's score is 0–4; 3 means roughly 10^8–10^10 guesses. */
const MIN_SCORE = 3;
/**
 * zxcvbn's matching grows faster than linearly with length (a few hundred ms at 128 characters), so only this many
 * leading characters are judged; a password whose first 64 characters are unguessable is unguessable.
 */
const ANALYSED_LENGTH = 64;

let factory: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return factory;
}

/** Lower-case letters and digits only, so `Ada.Lovelace` and `ada_lovelace` compare equal. */
const squash = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, "");

export type PasswordVerdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Judges `password` for the person described by `userInputs` (email, name: a password built from them is weak).
 * The message is written for the person and names what to change.
 */
export function checkPassword(password: string, userInputs: readonly string[] = []): PasswordVerdict {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return {
      ok: false,
      message: `Use at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a long password that is easy to remember.`,
    };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { ok: false, message: `Use at most ${PASSWORD_MAX_LENGTH} characters.` };
  }
  // zxcvbn scores "first.last.word" built from the person's own address as strong; refuse it outright.
  const personal = userInputs.map((value) => squash(value.split("@")[0] ?? "")).filter((value) => value.length >= 5);
  if (personal.some((value) => squash(password).includes(value))) {
    return {
      ok: false,
      message: "Do not build your password from your email address or name. Try several unrelated words instead.",
    };
  }
  const inputs = userInputs
    .flatMap((value) => [value, ...value.split(/[@.\s_+-]+/)])
    .map((value) => value.trim().toLowerCase())
    .filter((value) => value.length >= 3);
  const result = estimator().check(password.slice(0, ANALYSED_LENGTH), [...inputs, "agentbot"]);
  if (result.score >= MIN_SCORE) return { ok: true };
  const hints = [result.feedback.warning, ...result.feedback.suggestions].filter(
    (hint): hint is string => typeof hint === "string" && hint.length > 0,
  );
  return {
    ok: false,
    message: [
      "This password is too easy to guess.",
      ...hints,
      "Try a longer passphrase of several unrelated words, or let a password manager make one.",
    ].join(" "),
  };
}
