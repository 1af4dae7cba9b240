import { ListAuditEventsQuery, ListAuditEventsResponse } from "@agentbot/contracts";
import { errorResponse } from "../../../../server/api-response.ts";
import { getAuth } from "../../../../server/auth.ts";
import { publicApiRoute } from "../../../../server/public-api.ts";

/** A `YYYY-MM-DD` upper bound includes that whole day. */
function upperBound(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const date = new Date(`${value}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/**
 * `GET /api/v1/audit-events`: the caller's own events (done by them or about them); with the `admin` scope, every
 * event. Filters: action, actorEmail (admins only), from, to; paged by `cursor`.
 */
export const GET = publicApiRoute({
  scope: null,
  query: ListAuditEventsQuery,
  response: ListAuditEventsResponse,
  handle: async ({ principal, query }) => {
    if (query.actorEmail !== undefined && !principal.scopes.has("admin")) {
      return errorResponse(403, "insufficient_scope", 'Filtering by actor needs the "admin" scope.');
    }
    const page = await getAuth().listAuditEvents(principal, {
      filters: {
        ...(query.action === undefined ? {} : { action: query.action }),
        ...(query.actorEmail === undefined ? {} : { actorEmail: query.actorEmail }),
        ...(query.from === undefined ? {} : { from: new Date(query.from) }),
        ...(query.to === undefined ? {} : { to: upperBound(query.to) }),
      },
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return {
      nextCursor: page.nextCursor,
      events: page.events.map((event) => ({ ...event, createdAt: event.createdAt.toISOString() })),
    };
  },
});
