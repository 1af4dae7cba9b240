// Which IP a request came from, for rate limits and the audit log.
//
// A fetch `Request` carries no socket address, so the only source is a header, and a header is whatever the client
// sent unless a proxy we control overwrote or appended it. Policy: with `trustProxyHeaders` on, the LAST entry of
// `clientIpHeader` (default `x-forwarded-for`) is used: the address the nearest proxy saw, correct both for proxies
// that replace the header (Caddy, Vercel) and for one that appends to it. With it off the IP is unknown (null).
// Does not: walk chains of several proxies (configure the outermost to replace the header instead).
import { isIP } from "node:net";

export interface ClientIpPolicy {
  readonly trustProxyHeaders: boolean;
  readonly clientIpHeader: string;
}

export function clientIp(headers: Headers | undefined, policy: ClientIpPolicy): string | null {
  if (!headers || !policy.trustProxyHeaders) return null;
  const raw = headers.get(policy.clientIpHeader);
  if (!raw) return null;
  const last = raw
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  if (!last) return null;
  // "[::1]:1234" or "1.2.3.4:5678" from some proxies: drop the port.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  const candidate = bracketed?.[1] ?? (/^[\d.]+:\d+$/.test(last) ? last.slice(0, last.lastIndexOf(":")) : last);
  return isIP(candidate) === 0 ? null : candidate;
}

export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export function requestMeta(headers: Headers | undefined, policy: ClientIpPolicy): RequestMeta {
  const userAgent = headers?.get("user-agent")?.slice(0, 512) ?? null;
  return { ip: clientIp(headers, policy), userAgent: userAgent || null };
}

export function headersOf(input: Request | Headers | undefined): Headers | undefined {
  return input instanceof Request ? input.headers : input;
}
