import type { BillingInterval } from "@agentbot/plans";

/**
 * The end of a period of one month or one year starting at `start`, in UTC calendar terms: Jan 31 + 1 month is the
 * last day of February (same time of day), Feb 29 + 1 year is Feb 28.
 */
export function periodEnd(start: Date, interval: BillingInterval): Date {
  const months = interval === "month" ? 1 : 12;
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(start);
  end.setUTCDate(1);
  end.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
  return end;
}
