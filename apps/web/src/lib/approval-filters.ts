import { ApprovalStatus, CommandClass } from "@agentbot/contracts";
import type { ApprovalListQuery } from "@agentbot/contracts";
import { z } from "zod";

/**
 * The approvals page's history filters as they sit in its URL (`?status=denied&agent=agt_…&from=2026-12-01`): a
 * value that does not parse is dropped (the filter is simply off) rather than failing the page. Dates are whole UTC
 * days: `from` includes its day, `to` includes its day too (the query's `to` is the next midnight, exclusive).
 */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)));

const HistorySearch = z.object({
  status: z.union([ApprovalStatus, z.literal("any")]).catch("any"),
  agent: z.string().min(1).max(100).optional().catch(undefined),
  classification: CommandClass.optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  before: z.string().min(1).max(100).optional().catch(undefined),
});
export type HistoryFilters = z.infer<typeof HistorySearch>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export function parseHistoryFilters(search: Record<string, string | string[] | undefined>): HistoryFilters {
  return HistorySearch.parse({
    status: first(search["status"]) ?? "any",
    agent: first(search["agent"]),
    classification: first(search["classification"]),
    from: first(search["from"]),
    to: first(search["to"]),
    before: first(search["before"]),
  });
}

const nextDay = (value: string) => new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString();

export function historyQuery(filters: HistoryFilters, limit = 25): ApprovalListQuery {
  return {
    status: filters.status,
    limit,
    ...(filters.agent === undefined ? {} : { agentId: filters.agent }),
    ...(filters.classification === undefined ? {} : { classification: filters.classification }),
    ...(filters.from === undefined ? {} : { from: `${filters.from}T00:00:00.000Z` }),
    ...(filters.to === undefined ? {} : { to: nextDay(filters.to) }),
    ...(filters.before === undefined ? {} : { before: filters.before }),
  };
}

/** The filters as URL search parameters (the "Older" link keeps them and adds the cursor). */
export function historySearchParams(filters: HistoryFilters, before?: string): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.status !== "any") params["status"] = filters.status;
  if (filters.agent !== undefined) params["agent"] = filters.agent;
  if (filters.classification !== undefined) params["classification"] = filters.classification;
  if (filters.from !== undefined) params["from"] = filters.from;
  if (filters.to !== undefined) params["to"] = filters.to;
  if (before !== undefined) params["before"] = before;
  return params;
}
