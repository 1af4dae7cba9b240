import { idempotencyError, invalidRequest } from "./errors.ts";
import type { FormValue } from "./form.ts";

/**
 * Stripe's idempotent requests (https://docs.stripe.com/api/idempotent_requests), for POSTs:
 * - The first answer to a key is saved (status and body) once the endpoint began executing, success or 500 alike;
 *   a request refused while its parameters were checked (400/404 validation errors) saves nothing, so it may be
 *   retried with the same key after fixing it. The stand-in's handlers only throw while checking, hence: 2xx and 5xx
 *   are saved, 4xx are not.
 * - The same key again with the same endpoint and parameters replays that answer (`Idempotent-Replayed: true`,
 *   `Original-Request` naming the first request); with other parameters, or on another endpoint, it is refused with
 *   an `idempotency_error` (400).
 * - Keys are at most 255 characters. GETs ignore the header, as on Stripe.
 * Not covered: keys expiring after 24 hours, keys scoped per API key (the stand-in has one), the 409 for a key whose
 * first request is still running (the stand-in's handlers answer synchronously, so two never overlap).
 */
export interface SavedAnswer {
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
}

interface Entry extends SavedAnswer {
  readonly endpoint: string;
  readonly fingerprint: string;
}

export type IdempotencyLookup = { readonly kind: "new" } | { readonly kind: "replay"; readonly answer: SavedAnswer };

export const MAX_KEY_LENGTH = 255;

/** Parameters in a canonical form: the order of hash keys does not matter to Stripe, the order of list elements does. */
function fingerprintOf(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(fingerprintOf).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${fingerprintOf(value[key] ?? "")}`).join(",")}}`;
}

export function createIdempotencyStore() {
  const entries = new Map<string, Entry>();
  return {
    /** Throws the idempotency_error Stripe answers for a reused key; else says whether to replay. */
    lookup(key: string, endpoint: string, params: Record<string, FormValue>): IdempotencyLookup {
      if (key.length > MAX_KEY_LENGTH) {
        throw invalidRequest(`Invalid idempotency key: must be at most ${MAX_KEY_LENGTH} characters long`, {
          param: "Idempotency-Key",
        });
      }
      const entry = entries.get(key);
      if (!entry) return { kind: "new" };
      if (entry.endpoint !== endpoint) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
            `('${entry.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a ` +
            "different request.",
        );
      }
      if (entry.fingerprint !== fingerprintOf(params)) {
        throw idempotencyError(
          "Keys for idempotent requests can only be used with the same parameters they were first used with. Try " +
            `using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return { kind: "replay", answer: entry };
    },

    /** Keeps the answer to replay, if Stripe would keep it (see above). */
    save(key: string, endpoint: string, params: Record<string, FormValue>, answer: SavedAnswer): void {
      if (answer.status >= 400 && answer.status < 500) return;
      entries.set(key, { ...answer, endpoint, fingerprint: fingerprintOf(params) });
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
