// CSRF protection for our own cookie-authenticated routes (better-auth's endpoints have their own origin check).
//
// Guarantees: a state-changing request (anything but GET, HEAD, OPTIONS) that a browser sends from another site is
// refused: browsers always send `Origin` on cross-origin POST/PUT/PATCH/DELETE (and `Sec-Fetch-Site`), and neither
// can be set by page script. A request with neither header is refused too (fail closed). Requests authenticated by
// an API key in a header are exempt: a browser never attaches those by itself, so they cannot be forged cross-site.
// Does not: protect GET routes that change state (don't write any), or stop a same-origin XSS.
import { AuthError } from "./errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether the request carries an API key (`Authorization: Bearer …` or `x-api-key`) rather than relying on cookies. */
export function carriesApiKey(headers: Headers): boolean {
  return /^bearer\s+\S/i.test(headers.get("authorization") ?? "") || !!headers.get("x-api-key");
}

/** Throws `csrf_rejected` (403) unless the request is same-origin (see the module comment). */
export function assertSameOrigin(request: Request, allowedOrigins: readonly string[]): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  if (carriesApiKey(request.headers)) return;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== "null") {
    if (allowedOrigins.includes(origin)) return;
    throw new AuthError("csrf_rejected", "Cross-site request refused.");
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === "same-origin") return;
  throw new AuthError("csrf_rejected", "Cross-site request refused: the request did not say where it came from.");
}
