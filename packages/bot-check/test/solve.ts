import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import type { AltchaChallenge } from "../src/index.ts";

/** Solves a challenge with altcha-lib's own solver (real proof of work) and encodes it as the widget does. */
export async function solveLikeTheWidget(challenge: AltchaChallenge | null): Promise<string> {
  if (!challenge) throw new Error("expected a challenge");
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
  if (!solution) throw new Error("no solution found within 30 s");
  return encodePayload({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution });
}

export function encodePayload(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64");
}

export function decodePayload(payload: string): {
  challenge: { parameters: Record<string, unknown>; signature: string };
  solution: { counter: number; derivedKey: string };
} {
  return JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as ReturnType<typeof decodePayload>;
}
