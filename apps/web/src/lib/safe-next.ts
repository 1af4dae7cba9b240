/**
 * The page to return to after signing in, from a `?next=` parameter. Only same-site paths are accepted (`/settings`),
 * never an absolute or protocol-relative URL (`https://evil.example`, `//evil.example`, `/\evil.example`), so the
 * parameter cannot turn sign-in into an open redirect.
 */
export function safeNextPath(value: unknown, fallback = "/settings"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  // Control characters could smuggle a different URL past the checks above in some parsers.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}
