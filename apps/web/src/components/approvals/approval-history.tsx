import type { Agent, ApprovalList } from "@agentbot/contracts";
import {
  Badge,
  Button,
  Input,
  Label,
  NativeSelect,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@agentbot/ui";
import Link from "next/link";
import { historySearchParams } from "../../lib/approval-filters.ts";
import type { HistoryFilters } from "../../lib/approval-filters.ts";
import { formatTimestamp } from "../../lib/format-time.ts";
import { classLabels, statusLabels } from "./approval-labels.ts";

const decisionWords: Record<string, string> = {
  "allow-once": "once",
  "allow-always": "always",
  deny: "deny",
};

/**
 * Every request, decided or not, newest first, filtered by outcome, agent, class and days (a plain GET form: the
 * filters live in the URL, so a filtered view can be bookmarked or shared with a teammate who has access).
 */
export function ApprovalHistory({
  history,
  filters,
  agents,
}: {
  history: ApprovalList;
  filters: HistoryFilters;
  agents: readonly Pick<Agent, "id" | "name">[];
}) {
  return (
    <section aria-labelledby="history-title" className="grid gap-4">
      <h2 id="history-title" className="text-lg font-semibold">
        History
      </h2>
      <form method="get" action="/approvals" className="flex flex-wrap items-end gap-3" data-testid="approval-filters">
        <div className="grid gap-1">
          <Label htmlFor="filter-status">Outcome</Label>
          <NativeSelect id="filter-status" name="status" defaultValue={filters.status}>
            <option value="any">Any</option>
            {Object.entries(statusLabels).map(([status, { label }]) => (
              <option key={status} value={status}>
                {label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-agent">Agent</Label>
          <NativeSelect id="filter-agent" name="agent" defaultValue={filters.agent ?? ""}>
            <option value="">All agents</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-class">Class</Label>
          <NativeSelect id="filter-class" name="classification" defaultValue={filters.classification ?? ""}>
            <option value="">Any</option>
            {Object.entries(classLabels).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-from">From</Label>
          <Input id="filter-from" name="from" type="date" defaultValue={filters.from ?? ""} />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-to">To</Label>
          <Input id="filter-to" name="to" type="date" defaultValue={filters.to ?? ""} />
        </div>
        <Button type="submit" variant="outline" size="sm" data-testid="approval-filter-apply">
          Filter
        </Button>
      </form>
      {history.approvals.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="approval-history-empty">
          No requests match.
        </p>
      ) : (
        <Table data-testid="approval-history">
          <TableHeader>
            <TableRow>
              <TableHead>Asked</TableHead>
              <TableHead>Agent</TableHead>
              <TableHead>Command</TableHead>
              <TableHead>Class</TableHead>
              <TableHead>Outcome</TableHead>
              <TableHead>Decided</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {history.approvals.map((approval) => (
              <TableRow key={approval.id} data-testid="approval-history-row" data-status={approval.status}>
                <TableCell className="whitespace-nowrap">{formatTimestamp(approval.createdAt)}</TableCell>
                <TableCell>{approval.agentName}</TableCell>
                <TableCell className="max-w-96 font-mono text-xs break-all whitespace-normal">
                  {approval.command}
                </TableCell>
                <TableCell>
                  <Badge variant={classLabels[approval.classification].tone}>
                    {classLabels[approval.classification].label}
                  </Badge>
                </TableCell>
                <TableCell>
                  <Badge variant={statusLabels[approval.status].tone}>{statusLabels[approval.status].label}</Badge>
                  {approval.decision === null || approval.status === "expired" ? null : (
                    <span className="ml-1 text-xs text-muted-foreground">({decisionWords[approval.decision]})</span>
                  )}
                </TableCell>
                <TableCell className="whitespace-nowrap text-muted-foreground">
                  {formatTimestamp(approval.decidedAt)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {history.nextCursor === null ? null : (
        <div>
          <Button asChild variant="outline" size="sm">
            <Link href={{ pathname: "/approvals", query: historySearchParams(filters, history.nextCursor) }}>
              Older requests
            </Link>
          </Button>
        </div>
      )}
    </section>
  );
}
