import type { ApiScope } from "@agentbot/contracts";

/**
 * What the account pages render: plain data, safe to pass from server components to client components (no tokens,
 * no key hashes). The server builds them in src/server/accounts.ts.
 */

export interface SessionView {
  readonly id: string;
  /** "Chrome on Linux", from the user agent. */
  readonly device: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly createdAt: string;
  readonly lastActiveAt: string;
  /** The session this page was requested with. */
  readonly current: boolean;
}

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The visible beginning of the key (`ab_live_Xy12…`); the rest is never stored. */
  readonly prefix: string;
  readonly scopes: readonly ApiScope[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly expired: boolean;
}

export interface AuditEventView {
  readonly id: string;
  readonly action: string;
  readonly actorEmail: string | null;
  readonly subjectUserId: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** The state a server action hands back to its form. */
export interface ActionState {
  readonly ok: boolean;
  readonly message?: string;
  readonly fields?: Readonly<Record<string, string>>;
}
