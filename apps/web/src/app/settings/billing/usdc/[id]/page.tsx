import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@agentbot/ui";
import { formatUsdc, usdcDecimalString } from "@agentbot/billing/money";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import QRCode from "qrcode";
import { CopyButton } from "../../../../../components/billing/copy-button.tsx";
import { UsdcInvoiceLive } from "../../../../../components/billing/usdc-invoice-live.tsx";
import { PageShell } from "../../../../../components/page-shell.tsx";
import { usdcInvoiceOf } from "../../../../../server/billing-api.ts";
import { requireViewer } from "../../../../../server/session.ts";

export const metadata: Metadata = { title: "Pay in USDC · Billing · Agentbot" };

// EIP-155 chain ids, for the EIP-681 payment link wallets read from the QR code.
const chainIds: Record<string, number> = { "base-mainnet": 8453, "base-sepolia": 84532 };
const networkLabels: Record<string, string> = { "base-mainnet": "Base", "base-sepolia": "Base Sepolia (testnet)" };

export default async function UsdcInvoicePage({ params }: PageProps<"/settings/billing/usdc/[id]">) {
  const { id } = await params;
  const viewer = await requireViewer(`/settings/billing/usdc/${id}`);
  // Another user's invoice is "not found", exactly like one that does not exist.
  const invoice = await usdcInvoiceOf(viewer.user.id, id);
  if (invoice === null) notFound();
  const due = BigInt(invoice.amountDue);
  const chainId = chainIds[invoice.network];
  // EIP-681: an ERC-20 transfer of `due` base units of USDC to the deposit address, on this chain.
  const paymentUri =
    chainId === undefined
      ? invoice.depositAddress
      : `ethereum:${invoice.usdcContract}@${chainId}/transfer?address=${invoice.depositAddress}&uint256=${due.toString()}`;
  const qr = await QRCode.toString(paymentUri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  const network = networkLabels[invoice.network] ?? invoice.network;
  return (
    <PageShell
      title={`Pay ${formatUsdc(due)}`}
      description={`${invoice.plan} plan, one ${invoice.interval}, in USDC on ${network}.`}
      actions={
        <Link href="/settings/billing" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          Back to billing
        </Link>
      }
    >
      <Card aria-labelledby="pay-title">
        <CardHeader>
          <CardTitle as="h2" id="pay-title">
            Send exactly {formatUsdc(due)} on {network}
          </CardTitle>
          <CardDescription>
            Only USDC (contract <code className="font-mono text-xs break-all">{invoice.usdcContract}</code>) on{" "}
            {network} counts. Another token or another network is not credited. Sending more than due leaves the
            difference as credit for your next period.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 md:grid-cols-[14rem_1fr]">
          <div
            className="size-56 rounded-lg border bg-white p-2"
            role="img"
            aria-label="QR code of the payment: scan it with your wallet"
            data-testid="usdc-qr"
            // The SVG comes from the qrcode library, built from our own invoice data.
            dangerouslySetInnerHTML={{ __html: qr }}
          />
          <div className="grid content-start gap-4">
            <div className="grid gap-1">
              <p className="text-sm text-muted-foreground">Deposit address</p>
              <div className="flex flex-wrap items-center gap-2">
                <code className="font-mono text-sm break-all" data-testid="usdc-address">
                  {invoice.depositAddress}
                </code>
                <CopyButton value={invoice.depositAddress} label="deposit address" />
              </div>
            </div>
            <div className="grid gap-1">
              <p className="text-sm text-muted-foreground">Amount (USDC)</p>
              <div className="flex flex-wrap items-center gap-2">
                <code className="font-mono text-sm" data-testid="usdc-amount">
                  {usdcDecimalString(due)}
                </code>
                <CopyButton value={usdcDecimalString(due)} label="amount" />
              </div>
            </div>
            <UsdcInvoiceLive initial={invoice} />
          </div>
        </CardContent>
      </Card>
    </PageShell>
  );
}
