import { z } from "zod";

/**
 * The public API (`/api/v1/*`, served by apps/web): what scripts call with an API key (`Authorization: Bearer
 * ab_…`) or the dashboard with its session cookie. Errors use the same `{ error: { code, message, details? } }` shape
 * as the backend (`ErrorBody`), with these codes.
 */
export const publicApiErrorCodes = [
  "invalid_json",
  "validation_failed",
  /** No credential, or one that is wrong, revoked or expired. */
  "unauthorized",
  /** A valid credential whose scopes do not include the route's scope. */
  "insufficient_scope",
  /** A cookie-authenticated state-changing request from another site (CSRF). */
  "forbidden",
  /** Approving a Destructive command needs a password re-authentication, which an API key cannot do. */
  "reauthentication_required",
  "not_found",
  /** Another operation is in flight on the agent (or the name is taken): wait for it, then retry. */
  "conflict",
  /** Creating or starting an agent needs an active subscription. */
  "subscription_required",
  /** The plan's agent limit is reached. */
  "plan_limit_reached",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "not_implemented",
  "service_unavailable",
  /** A webhook delivery whose signature does not verify (or is stale): refused with no effect. */
  "invalid_signature",
  /** A signed webhook delivery whose body is not what the provider sends. */
  "invalid_payload",
  "internal_error",
] as const;
export const PublicApiErrorCode = z.enum(publicApiErrorCodes);
export type PublicApiErrorCode = z.infer<typeof PublicApiErrorCode>;

/**
 * What an API key may do. A session carries every scope its user holds (`admin` only for admins); a key carries the
 * scopes chosen when it was created, never more than its creator holds.
 */
export const apiScopes = [
  "agents:read",
  "agents:write",
  "approvals:read",
  "approvals:write",
  "billing:read",
  "admin",
] as const;
export const ApiScope = z.enum(apiScopes).meta({ id: "ApiScope" });
export type ApiScope = z.infer<typeof ApiScope>;

export const UserRole = z.enum(["user", "admin"]).meta({ id: "UserRole" });
export type UserRole = z.infer<typeof UserRole>;

/** A page size query parameter: 1–100, default `fallback`. */
export const limitParam = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);
