import { z } from "zod";
import { limitParam } from "./common.ts";

export const PublicAuditEvent = z
  .object({
    id: z.string(),
    /** e.g. `auth.login.succeeded`, `api_key.created`, `admin.role.changed`. */
    action: z.string(),
    actorUserId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    subjectUserId: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AuditEvent" });
export type PublicAuditEvent = z.infer<typeof PublicAuditEvent>;

/** A calendar day (`2026-01-31`) or a full timestamp. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * `GET /api/v1/audit-events`: a user sees the events they did or that concern them; an admin sees all, and only
 * admins may filter by actor.
 */
export const ListAuditEventsQuery = z.object({
  action: z.string().trim().min(1).max(100).optional(),
  actorEmail: z.string().trim().min(1).max(320).optional(),
  /** Inclusive lower bound on `createdAt`. */
  from: instant.optional(),
  /** Upper bound: a day includes the whole day. */
  to: instant.optional(),
  /** `nextCursor` from the previous page. */
  cursor: z.string().min(1).max(200).optional(),
  limit: limitParam(50),
});
export type ListAuditEventsQuery = z.infer<typeof ListAuditEventsQuery>;

export const ListAuditEventsResponse = z
  .object({ events: z.array(PublicAuditEvent), nextCursor: z.string().nullable() })
  .meta({ id: "AuditEventList" });
export type ListAuditEventsResponse = z.infer<typeof ListAuditEventsResponse>;
