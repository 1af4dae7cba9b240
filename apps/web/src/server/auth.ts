import "server-only";
import { PASSWORD_MIN_LENGTH } from "@agentbot/auth";
import type { Auth, AuthErrorCode, FieldError } from "@agentbot/auth";

/** The fields of @agentbot/auth's `AuthError` that the web reads. */
export interface AuthErrorLike extends Error {
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly fields: readonly FieldError[];
}
import { services } from "./infra.ts";

/** The process's auth instance (@agentbot/auth on better-auth), created with the other services on first use. */
export function getAuth(): Auth {
  return services().auth;
}

/**
 * Whether `error` is an @agentbot/auth `AuthError`. Checked by shape, not `instanceof`: Next.js bundles each route
 * separately, so the error may come from another bundle's copy of the class.
 */
export function isAuthError(error: unknown): error is AuthErrorLike {
  return (
    error instanceof Error &&
    (error.name === "AuthError" || error.name === "InsufficientScopeError") &&
    typeof (error as { code?: unknown }).code === "string" &&
    Array.isArray((error as { fields?: unknown }).fields)
  );
}

/** The password rule in words, shown under every new-password field. */
export const passwordPolicyHint = `At least ${PASSWORD_MIN_LENGTH} characters and hard to guess: a few unrelated words work well.`;
