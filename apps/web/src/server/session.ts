import "server-only";
import type { Principal } from "@agentbot/auth";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getAuth } from "./auth.ts";

/** Who is looking at a page: a signed-in person (session cookie), with what they may do. */
export type Viewer = Principal & { readonly via: "session"; readonly sessionId: string; readonly isAdmin: boolean };

/**
 * The signed-in person of this request, or null. Pages accept only a session: a request carrying an API key (or a
 * malformed Authorization header) has no viewer. Read once per request (React `cache`), fresh from the database
 * (role, ban and verification state are never taken from a cached copy).
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  // Reading the request's headers first also makes every page that asks render per request, never at build time.
  const requestHeaders = await headers();
  const principal = await getAuth().authenticateRequest(requestHeaders);
  if (principal === null || principal.via !== "session" || principal.sessionId === undefined) return null;
  return { ...principal, via: "session", sessionId: principal.sessionId, isAdmin: principal.scopes.has("admin") };
});

/** The viewer, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (viewer === null) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

/** An admin viewer; anyone else (signed in or not) gets a 404, so admin pages do not announce themselves. */
export async function requireAdmin(): Promise<Viewer> {
  const viewer = await getViewer();
  if (viewer === null || !viewer.isAdmin) notFound();
  return viewer;
}
