import {
  Badge,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Input,
  NativeSelect,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@agentbot/ui";
import { plans } from "@agentbot/plans";
import type { Metadata } from "next";
import { AdminNav } from "../../../components/admin-nav.tsx";
import { ActionForm } from "../../../components/action-form.tsx";
import { UsdcInvoiceTable } from "../../../components/billing/usdc-invoice-table.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { SubmitButton } from "../../../components/settings/submit-button.tsx";
import { formatTimestamp } from "../../../lib/format-time.ts";
import { adminBillingOverview } from "../../../server/billing-admin.ts";
import { requireAdmin } from "../../../server/session.ts";
import { grantPlanAction, resendReceiptAction, resolveTransferAction, revokeGrantAction } from "./actions.ts";

export const metadata: Metadata = { title: "Billing · Admin · Agentbot" };

const subscriptionStatuses = ["", "trialing", "active", "past_due", "unpaid", "canceled", "paused", "incomplete"];
const invoiceStatuses = ["", "open", "paid", "expired", "void"];

export default async function AdminBillingPage({ searchParams }: PageProps<"/admin/billing">) {
  const viewer = await requireAdmin();
  const params = await searchParams;
  const pick = (name: string, allowed: readonly string[]) => {
    const value = params[name];
    return typeof value === "string" && allowed.includes(value) && value !== "" ? value : undefined;
  };
  const subscriptionStatus = pick("subscription", subscriptionStatuses);
  const invoiceStatus = pick("invoice", invoiceStatuses);
  const overview = await adminBillingOverview(viewer, {
    ...(subscriptionStatus === undefined ? {} : { subscriptionStatus }),
    ...(invoiceStatus === undefined ? {} : { invoiceStatus }),
  });
  return (
    <PageShell
      title="Billing"
      description="Subscriptions, USDC invoices, plan grants, held transfers and receipts. Every change here is audited."
      actions={<AdminNav current="/admin/billing" />}
    >
      <div className="grid gap-8">
        <form action="/admin/billing" className="flex flex-wrap items-end gap-3 text-sm" data-testid="billing-filters">
          <label className="grid gap-1">
            Subscription status
            <NativeSelect name="subscription" defaultValue={subscriptionStatus ?? ""}>
              {subscriptionStatuses.map((status) => (
                <option key={status} value={status}>
                  {status === "" ? "Any" : status}
                </option>
              ))}
            </NativeSelect>
          </label>
          <label className="grid gap-1">
            Invoice status
            <NativeSelect name="invoice" defaultValue={invoiceStatus ?? ""}>
              {invoiceStatuses.map((status) => (
                <option key={status} value={status}>
                  {status === "" ? "Any" : status}
                </option>
              ))}
            </NativeSelect>
          </label>
          <button type="submit" className="rounded-md border px-3 py-1.5">
            Filter
          </button>
        </form>

        <Card aria-labelledby="grant-title">
          <CardHeader>
            <CardTitle as="h2" id="grant-title">
              Grant or override a plan
            </CardTitle>
            <CardDescription>
              A grant entitles the user to the plan (status active) above any payment, for the days given or until
              revoked. Say why: the reason is kept with the grant and in the audit log.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ActionForm action={grantPlanAction} className="items-end" testId="grant-form">
              <label className="grid gap-1 text-sm">
                User email
                <Input name="email" type="email" required />
              </label>
              <label className="grid gap-1 text-sm">
                Plan
                <NativeSelect name="plan" defaultValue="collective">
                  {plans.map((plan) => (
                    <option key={plan.id} value={plan.id}>
                      {plan.name}
                    </option>
                  ))}
                </NativeSelect>
              </label>
              <label className="grid gap-1 text-sm">
                Days (empty: until revoked)
                <Input name="days" type="number" min={1} max={3650} />
              </label>
              <label className="grid min-w-64 flex-1 gap-1 text-sm">
                Reason
                <Input name="reason" required minLength={3} maxLength={500} />
              </label>
              <SubmitButton pendingText="Granting…">Grant</SubmitButton>
            </ActionForm>
            {overview.grants.length > 0 ? (
              <Table className="mt-6" data-testid="plan-grants">
                <TableHeader>
                  <TableRow>
                    <TableHead>User</TableHead>
                    <TableHead>Plan</TableHead>
                    <TableHead>Ends</TableHead>
                    <TableHead>Reason</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {overview.grants.map((grant) => (
                    <TableRow key={grant.id}>
                      <TableCell>{grant.user}</TableCell>
                      <TableCell>{grant.plan}</TableCell>
                      <TableCell>{grant.endsAt === null ? "Until revoked" : formatTimestamp(grant.endsAt)}</TableCell>
                      <TableCell>{grant.reason}</TableCell>
                      <TableCell>
                        <ActionForm action={revokeGrantAction}>
                          <input type="hidden" name="grantId" value={grant.id} />
                          <SubmitButton size="sm" variant="outline" pendingText="Revoking…">
                            Revoke
                          </SubmitButton>
                        </ActionForm>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
          </CardContent>
        </Card>

        <Card aria-labelledby="subscriptions-title">
          <CardHeader>
            <CardTitle as="h2" id="subscriptions-title">
              Card subscriptions
            </CardTitle>
          </CardHeader>
          <CardContent>
            {overview.subscriptions.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                No subscriptions{subscriptionStatus ? ` ${subscriptionStatus}` : ""}.
              </p>
            ) : (
              <Table data-testid="admin-subscriptions">
                <TableHeader>
                  <TableRow>
                    <TableHead>User</TableHead>
                    <TableHead>Plan</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Period ends</TableHead>
                    <TableHead>Subscription</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {overview.subscriptions.map((subscription) => (
                    <TableRow key={subscription.id}>
                      <TableCell>{subscription.user}</TableCell>
                      <TableCell>
                        {subscription.plan} / {subscription.interval}
                      </TableCell>
                      <TableCell>
                        <Badge variant="outline">{subscription.statusLabel}</Badge>
                        {subscription.cancelAtPeriodEnd ? " (cancels at period end)" : ""}
                      </TableCell>
                      <TableCell>{formatTimestamp(subscription.currentPeriodEnd)}</TableCell>
                      <TableCell className="font-mono text-xs">{subscription.id}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>

        <Card aria-labelledby="invoices-title">
          <CardHeader>
            <CardTitle as="h2" id="invoices-title">
              USDC invoices
            </CardTitle>
          </CardHeader>
          <CardContent>
            <UsdcInvoiceTable invoices={overview.invoices} showUser />
          </CardContent>
        </Card>

        <Card aria-labelledby="held-title">
          <CardHeader>
            <CardTitle as="h2" id="held-title">
              Transfers to resolve
            </CardTitle>
            <CardDescription>
              USDC that arrived after its invoice expired, to an address no invoice has, or tokens and networks we do
              not accept. Credit a late USDC transfer to the user, or dismiss it with a note (refunds happen outside
              Agentbot).
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {overview.heldTransfers.length === 0 ? (
              <p className="text-sm text-muted-foreground">Nothing to resolve.</p>
            ) : (
              overview.heldTransfers.map((transfer) => (
                <div key={transfer.id} className="grid gap-2 rounded-lg border p-3 text-sm" data-testid="held-transfer">
                  <p>
                    <Badge variant="warning">{transfer.status}</Badge> {transfer.amount} from tx{" "}
                    <code className="font-mono text-xs break-all">{transfer.txHash}</code> to{" "}
                    <code className="font-mono text-xs break-all">{transfer.toAddress}</code> ({transfer.network}), user{" "}
                    {transfer.user}, {formatTimestamp(transfer.createdAt)}
                  </p>
                  <ActionForm action={resolveTransferAction} className="items-end">
                    <input type="hidden" name="transferId" value={transfer.id} />
                    <label className="grid min-w-64 flex-1 gap-1">
                      Note
                      <Input name="note" required minLength={3} />
                    </label>
                    {transfer.creditable ? (
                      <SubmitButton size="sm" name="action" value="credit" pendingText="Crediting…">
                        Credit to user
                      </SubmitButton>
                    ) : null}
                    <SubmitButton size="sm" variant="outline" name="action" value="dismiss" pendingText="Dismissing…">
                      Dismiss
                    </SubmitButton>
                  </ActionForm>
                </div>
              ))
            )}
          </CardContent>
        </Card>

        <Card aria-labelledby="receipts-title">
          <CardHeader>
            <CardTitle as="h2" id="receipts-title">
              Receipts
            </CardTitle>
          </CardHeader>
          <CardContent>
            {overview.receipts.length === 0 ? (
              <p className="text-sm text-muted-foreground">No receipts sent yet.</p>
            ) : (
              <Table data-testid="admin-receipts">
                <TableHeader>
                  <TableRow>
                    <TableHead>User</TableHead>
                    <TableHead>Payment</TableHead>
                    <TableHead>Sent</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {overview.receipts.map((receipt) => (
                    <TableRow key={receipt.taskId}>
                      <TableCell>{receipt.user}</TableCell>
                      <TableCell>
                        {receipt.amount} ({receipt.method}){" "}
                        <span className="font-mono text-xs">{receipt.reference}</span>
                      </TableCell>
                      <TableCell>{formatTimestamp(receipt.sentAt)}</TableCell>
                      <TableCell>
                        <ActionForm action={resendReceiptAction}>
                          <input type="hidden" name="taskId" value={receipt.taskId} />
                          <SubmitButton size="sm" variant="outline" pendingText="Queuing…">
                            Re-send
                          </SubmitButton>
                        </ActionForm>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
    </PageShell>
  );
}
