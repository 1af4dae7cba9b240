// Money is integers end to end: Stripe amounts in cents (`number`, always whole), USDC in base units (`bigint`; USDC
// has 6 decimals, so 1 USDC = 1_000_000 base units). No floating point touches an amount; display strings are built
// from the integer digits.

export const USDC_DECIMALS = 6;
const BASE_UNITS_PER_USDC = 10n ** BigInt(USDC_DECIMALS);
/** 1 USD cent = 10,000 USDC base units (USDC is pegged 1:1; a plan's USDC price is its dollar price). */
const BASE_UNITS_PER_CENT = BASE_UNITS_PER_USDC / 100n;

/** The USDC amount (base units) of a price in US cents. */
export function usdcForCents(cents: number): bigint {
  if (!Number.isSafeInteger(cents) || cents < 0)
    throw new RangeError(`not a whole, non-negative cent amount: ${cents}`);
  return BigInt(cents) * BASE_UNITS_PER_CENT;
}

/**
 * Parses a token amount reported as decimal digits of base units (how CDP reports a Transfer's value). Null for
 * anything that is not a plain non-negative integer (signs, decimals, exponents, hex, empty).
 */
export function parseBaseUnits(value: string): bigint | null {
  return /^\d{1,78}$/.test(value) ? BigInt(value) : null;
}

/** "49 USDC", "12.5 USDC", "0.000001 USDC": exact, trailing zeros of the fraction dropped. */
export function formatUsdc(baseUnits: bigint): string {
  const negative = baseUnits < 0n;
  const magnitude = negative ? -baseUnits : baseUnits;
  const whole = magnitude / BASE_UNITS_PER_USDC;
  const fraction = (magnitude % BASE_UNITS_PER_USDC).toString().padStart(USDC_DECIMALS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole.toString()}${fraction === "" ? "" : `.${fraction}`} USDC`;
}

/** The exact amount as a decimal string for pasting into a wallet: "49", "12.5". */
export function usdcDecimalString(baseUnits: bigint): string {
  return formatUsdc(baseUnits).replace(/ USDC$/, "");
}

/** "$19.00" from cents. */
export function formatUsdCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole cent amount: ${cents}`);
  const negative = cents < 0;
  const magnitude = Math.abs(cents);
  const dollars = Math.floor(magnitude / 100).toLocaleString("en-US");
  return `${negative ? "-" : ""}$${dollars}.${String(magnitude % 100).padStart(2, "0")}`;
}

export function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
