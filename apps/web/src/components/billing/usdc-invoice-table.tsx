import { Badge, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@agentbot/ui";
import Link from "next/link";
import { formatTimestamp } from "../../lib/format-time.ts";
import type { UsdcInvoiceView } from "../../lib/billing-views.ts";

const invoiceVariant = { open: "warning", paid: "success", expired: "secondary", void: "secondary" } as const;

/** USDC invoices, newest first; an open one links to its payment page. */
export function UsdcInvoiceTable({
  invoices,
  showUser = false,
}: {
  invoices: readonly (UsdcInvoiceView & { user?: string })[];
  showUser?: boolean;
}) {
  if (invoices.length === 0) return <p className="text-sm text-muted-foreground">No USDC invoices yet.</p>;
  return (
    <Table data-testid="usdc-invoices">
      <TableHeader>
        <TableRow>
          {showUser ? <TableHead>User</TableHead> : null}
          <TableHead>Invoice</TableHead>
          <TableHead>Plan</TableHead>
          <TableHead>Amount</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Period</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {invoices.map((invoice) => (
          <TableRow key={invoice.id} data-testid="usdc-invoice-row">
            {showUser ? <TableCell>{invoice.user}</TableCell> : null}
            <TableCell className="font-mono text-xs">
              {showUser ? invoice.id : <Link href={`/settings/billing/usdc/${invoice.id}`}>{invoice.id}</Link>}
            </TableCell>
            <TableCell>
              {invoice.planName} / {invoice.interval}
            </TableCell>
            <TableCell className="tabular-nums">
              {invoice.amountDue}
              {invoice.amountMissing !== null ? (
                <span className="block text-xs text-warning">{invoice.amountMissing} still missing</span>
              ) : null}
            </TableCell>
            <TableCell>
              <Badge variant={invoiceVariant[invoice.status as keyof typeof invoiceVariant] ?? "secondary"}>
                {invoice.status}
              </Badge>
            </TableCell>
            <TableCell className="text-xs">
              {invoice.periodStart === null
                ? `pay by ${formatTimestamp(invoice.expiresAt)}`
                : `${formatTimestamp(invoice.periodStart)} → ${formatTimestamp(invoice.periodEnd)}`}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
