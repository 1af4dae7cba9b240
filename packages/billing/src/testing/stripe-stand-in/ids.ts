import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random letters and digits, as Stripe's ids and keys are made of (the small modulo bias is irrelevant here). */
export function randomToken(length: number, alphabet: string = ALPHABET): string {
  let token = "";
  for (const byte of randomBytes(length)) token += alphabet.charAt(byte % alphabet.length);
  return token;
}

/** Lengths follow what Stripe hands out today (`cus_` 14, `cs_test_` 58, most others 24). */
const ID_LENGTHS: Record<string, number> = { cus: 14, si: 14, cs_test: 58 };

export function stripeId(prefix: string): string {
  return `${prefix}_${randomToken(ID_LENGTHS[prefix] ?? 24)}`;
}

/** A customer's invoice prefix: eight upper-case letters and digits, as Stripe assigns. */
export function invoicePrefix(): string {
  return randomToken(8, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
