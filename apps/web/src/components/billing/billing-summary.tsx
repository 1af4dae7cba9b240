import { Badge } from "@agentbot/ui";
import type { BadgeProps } from "@agentbot/ui";
import { formatTimestamp } from "../../lib/format-time.ts";
import type { BillingOverviewView } from "../../lib/billing-views.ts";

const statusVariant: Record<string, BadgeProps["variant"]> = {
  trialing: "success",
  active: "success",
  past_due: "warning",
  incomplete: "warning",
  paused: "warning",
  unpaid: "destructive",
  canceled: "destructive",
  expired: "destructive",
};

const sourceLabel = { card: "Card (Stripe)", usdc: "USDC on Base", grant: "Granted by an admin" } as const;

/** The plan in force, its status and its next date, as a definition list. */
export function BillingSummary({ overview }: { overview: BillingOverviewView }) {
  const rows: [string, string, string][] = [];
  if (overview.source !== null) rows.push(["Paid by", "billing-source", sourceLabel[overview.source]]);
  if (overview.trialEnd !== null) rows.push(["Trial ends", "billing-trial-end", formatTimestamp(overview.trialEnd)]);
  if (overview.periodEnd !== null) {
    const label =
      overview.cancelAtPeriodEnd || overview.source !== "card"
        ? "Ends"
        : overview.trialEnd !== null
          ? "First charge"
          : "Next charge";
    rows.push([label, "billing-period-end", formatTimestamp(overview.trialEnd ?? overview.periodEnd)]);
  }
  if (overview.usdcCredit !== null) rows.push(["USDC credit", "billing-credit", overview.usdcCredit]);
  const maxAgents = overview.agents.maxAgents === null ? "unlimited" : String(overview.agents.maxAgents);
  rows.push(["Agents", "billing-agent-count", `${overview.agents.total} of ${maxAgents}`]);
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-xl font-semibold" data-testid="billing-plan">
          {overview.plan?.name ?? "No plan"}
        </p>
        <Badge variant={statusVariant[overview.status] ?? "secondary"} data-testid="billing-status">
          {overview.statusLabel}
        </Badge>
        {overview.cancelAtPeriodEnd ? <Badge variant="warning">Cancels at period end</Badge> : null}
      </div>
      <dl className="grid gap-2 text-sm sm:grid-cols-2">
        {rows.map(([label, testId, value]) => (
          <div key={testId} className="flex justify-between gap-3 border-b border-border/70 py-2">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="font-medium tabular-nums" data-testid={testId}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
