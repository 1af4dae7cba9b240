/** Why a bot check refused a request. Every failure, including our own errors, refuses: the checks fail closed. */
export type BotCheckFailureReason =
  /** No proof-of-work payload came with the request. */
  | "missing"
  /** The payload is malformed, tampered with, signed with another key or does not solve its challenge. */
  | "invalid"
  /** The challenge's lifetime is over; the browser must fetch and solve a new one. */
  | "expired"
  /** This solved payload was already accepted once. */
  | "replayed"
  /** BotID classified the request as a bot. */
  | "bot"
  /** The check could not be carried out (key-value store or BotID unreachable, BotID could not classify). */
  | "unavailable";

export type BotCheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: BotCheckFailureReason };

export interface BotCheckInput {
  /** The ALTCHA widget's payload (the `altcha` form field, base64 JSON); ignored by BotID. */
  readonly payload: string | null | undefined;
  /** The request's headers; BotID reads them where Vercel's request context does not provide them. */
  readonly headers: Headers;
}

/**
 * An ALTCHA v2 proof-of-work challenge, exactly as the `altcha` widget (v3) expects it from its `challenge` URL.
 * `parameters` are signed by `signature` (HMAC-SHA-256 over their canonical JSON), so the server keeps no state per
 * challenge.
 */
export interface AltchaChallenge {
  readonly parameters: {
    readonly algorithm: string;
    readonly nonce: string;
    readonly salt: string;
    readonly cost: number;
    readonly keyLength: number;
    readonly keyPrefix: string;
    readonly keySignature?: string;
    /** Unix seconds; the widget asks for a new challenge after it. */
    readonly expiresAt?: number;
  };
  readonly signature: string;
}

/** A server-side bot check for sign-up and other abuse-prone forms. */
export interface BotCheck {
  readonly kind: "pow" | "botid";
  /**
   * A new challenge for the browser, to be served as JSON with `Cache-Control: no-store` (see README for the shape the
   * `altcha` widget expects); `null` for BotID, whose browser part needs no challenge from us.
   */
  createChallenge(): Promise<AltchaChallenge | null>;
  /** Decides about one request. Never throws: any error is `{ ok: false, reason: "unavailable" }`. */
  verify(input: BotCheckInput): Promise<BotCheckResult>;
}
