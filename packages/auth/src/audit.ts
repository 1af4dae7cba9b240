// The audit log: privileged and security-relevant actions with who did them, to whom, from where and when.
// Users see events they did or that concern them; admins see everything, filterable.
import { newId } from "@agentbot/db";
import type { DbOrTx, Prisma } from "@agentbot/db";
import { z } from "zod";
import { parseInput } from "./errors.ts";
import { isAdmin } from "./scopes.ts";
import type { RoleHolder } from "./scopes.ts";

/** The actions this package writes. Later issues add theirs (`subscription_gate.bypassed`, `agent.deleted`…). */
export const AuditActions = {
  signUp: "auth.sign_up",
  signUpExistingEmail: "auth.sign_up.existing_email",
  loginSucceeded: "auth.login.succeeded",
  loginFailed: "auth.login.failed",
  logout: "auth.logout",
  logoutEverywhere: "auth.logout_everywhere",
  sessionRevoked: "auth.session.revoked",
  passwordResetRequested: "auth.password_reset.requested",
  passwordResetCompleted: "auth.password_reset.completed",
  passwordChanged: "auth.password.changed",
  reauthenticated: "auth.reauthentication.succeeded",
  reauthenticationFailed: "auth.reauthentication.failed",
  emailVerified: "auth.email.verified",
  apiKeyCreated: "api_key.created",
  apiKeyRevoked: "api_key.revoked",
  roleChanged: "admin.role.changed",
  accountDisabled: "admin.account.disabled",
  accountEnabled: "admin.account.enabled",
} as const;
export type AuditAction = (typeof AuditActions)[keyof typeof AuditActions];

const optionalText = (max: number) => z.string().max(max).nullish();
const actionSchema = z
  .string()
  .min(3)
  .max(100)
  .regex(/^[a-z][a-z_]*(\.[a-z_]+)+$/, "must look like `area.thing.verb`");

const RecordAuditEventSchema = z.object({
  action: actionSchema,
  actorUserId: optionalText(64),
  actorEmail: optionalText(320),
  subjectUserId: optionalText(64),
  targetType: optionalText(64),
  targetId: optionalText(128),
  ip: optionalText(64),
  userAgent: optionalText(512),
  metadata: z.record(z.string(), z.unknown()).default({}),
  at: z.date().optional(),
});
export type RecordAuditEventInput = z.input<typeof RecordAuditEventSchema>;

/** Keys whose values never belong in the audit log, whatever a caller passes. */
const SECRET_KEY = /password|passphrase|token|secret|authorization|cookie|^key$|api_?key$|^raw/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 5) return "[truncated]";
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? "[redacted]" : redact(inner, depth + 1),
      ]),
    );
  }
  if (typeof value === "string") return value.length > 1000 ? `${value.slice(0, 1000)}…` : value;
  if (typeof value === "bigint") return value.toString();
  return value;
}

export interface AuditEventView {
  readonly id: string;
  readonly action: string;
  readonly actorUserId: string | null;
  readonly actorEmail: string | null;
  readonly subjectUserId: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: Date;
}

/** Writes one audit event. Metadata values under secret-looking keys (`password`, `token`, `key`…) are redacted. */
export async function recordAuditEvent(db: DbOrTx, input: RecordAuditEventInput): Promise<AuditEventView> {
  const event = parseInput(RecordAuditEventSchema, input);
  const row = await db.auditEvent.create({
    data: {
      id: newId("auditEvent"),
      action: event.action,
      actorUserId: event.actorUserId ?? null,
      actorEmail: event.actorEmail?.toLowerCase() ?? null,
      subjectUserId: event.subjectUserId ?? null,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
      metadata: redact(event.metadata) as Prisma.InputJsonObject,
      ...(event.at ? { createdAt: event.at } : {}),
    },
  });
  return toView(row);
}

const ListAuditEventsSchema = z.object({
  viewer: z.object({ id: z.string().min(1), role: z.string().nullish(), banned: z.boolean().nullish() }),
  filters: z
    .object({
      /** An exact action, or a prefix ending in `*` (`auth.*`). */
      action: z.string().trim().min(1).max(100).optional(),
      actorEmail: z.string().max(320).optional(),
      subjectUserId: z.string().max(64).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
    })
    .default({}),
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListAuditEventsInput = z.input<typeof ListAuditEventsSchema> & { viewer: { id: string } & RoleHolder };

export interface AuditEventPage {
  readonly events: AuditEventView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Newest first. A viewer who is not an admin sees only events they did (`actor`) or that concern them (`subject`),
 * whatever the filters say; an admin sees all. Pass the viewer as read from the database now (its role decides).
 */
export async function listAuditEvents(db: DbOrTx, input: ListAuditEventsInput): Promise<AuditEventPage> {
  const { viewer, filters, cursor, limit } = parseInput(ListAuditEventsSchema, input);
  const and: Prisma.AuditEventWhereInput[] = [];
  if (!isAdmin(viewer)) and.push({ OR: [{ actorUserId: viewer.id }, { subjectUserId: viewer.id }] });
  if (filters.action) {
    and.push(
      filters.action.endsWith("*")
        ? { action: { startsWith: filters.action.slice(0, -1) } }
        : { action: filters.action },
    );
  }
  if (filters.actorEmail) and.push({ actorEmail: { equals: filters.actorEmail, mode: "insensitive" } });
  if (filters.subjectUserId) and.push({ subjectUserId: filters.subjectUserId });
  if (filters.from) and.push({ createdAt: { gte: filters.from } });
  if (filters.to) and.push({ createdAt: { lt: filters.to } });
  // Ids are UUIDv7 TypeIDs: they sort by creation time, so the id is the cursor.
  if (cursor) and.push({ id: { lt: cursor } });
  const rows = await db.auditEvent.findMany({ where: { AND: and }, orderBy: { id: "desc" }, take: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    events: page.map(toView),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

function toView(row: {
  id: string;
  action: string;
  actorUserId: string | null;
  actorEmail: string | null;
  subjectUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Prisma.JsonValue;
  createdAt: Date;
}): AuditEventView {
  const metadata =
    typeof row.metadata === "object" && row.metadata !== null && !Array.isArray(row.metadata)
      ? (row.metadata as Record<string, unknown>)
      : {};
  return { ...row, metadata };
}
