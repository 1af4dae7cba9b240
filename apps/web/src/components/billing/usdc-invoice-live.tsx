"use client";

import { Badge } from "@agentbot/ui";
import type { UsdcInvoiceResponse } from "@agentbot/contracts";
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatTimestamp } from "../../lib/format-time.ts";
import { formatUsdc } from "@agentbot/billing/money";

const POLL_MS = 4_000;

/**
 * The invoice's status, kept live: polls `GET /api/v1/billing/usdc-invoices/{id}` while the invoice is open (CDP's
 * webhook credits transfers on the server; this only reads). Stops polling once it is paid, expired or void.
 */
export function UsdcInvoiceLive({ initial }: { initial: UsdcInvoiceResponse }) {
  const [invoice, setInvoice] = useState(initial);
  const [stale, setStale] = useState(false);
  useEffect(() => {
    if (invoice.status !== "open") return;
    let cancelled = false;
    async function refresh() {
      try {
        const response = await fetch(`/api/v1/billing/usdc-invoices/${encodeURIComponent(invoice.id)}`, {
          cache: "no-store",
        });
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as UsdcInvoiceResponse;
        if (!cancelled) {
          setStale(false);
          setInvoice(next);
        }
      } catch {
        // Keep showing the last known state and try again; say it may be out of date.
        if (!cancelled) {
          setStale(true);
          setInvoice((current) => ({ ...current }));
        }
      }
    }
    const timer = setTimeout(() => void refresh(), POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [invoice]);

  const due = BigInt(invoice.amountDue);
  const received = BigInt(invoice.amountReceived);
  const missing = due > received ? due - received : 0n;
  return (
    <div className="grid gap-3" aria-live="polite" data-testid="usdc-invoice-status">
      <div className="flex flex-wrap items-center gap-2">
        <Badge
          variant={invoice.status === "paid" ? "success" : invoice.status === "open" ? "warning" : "secondary"}
          data-testid="usdc-status"
        >
          {invoice.status === "open" ? "Waiting for payment" : invoice.status === "paid" ? "Paid" : invoice.status}
        </Badge>
        {stale ? <span className="text-xs text-muted-foreground">Could not refresh; retrying…</span> : null}
      </div>
      {invoice.status === "open" ? (
        <p className="text-sm">
          Received {formatUsdc(received)} of {formatUsdc(due)}.
          {received > 0n ? (
            <strong className="ml-1" data-testid="usdc-missing">
              Send {formatUsdc(missing)} more to complete it.
            </strong>
          ) : null}{" "}
          Pay by {formatTimestamp(invoice.expiresAt)}.
        </p>
      ) : invoice.status === "paid" ? (
        <p className="text-sm" data-testid="usdc-paid">
          Paid {formatTimestamp(invoice.paidAt)}. Your plan runs until {formatTimestamp(invoice.periodEnd)}.{" "}
          <Link href="/settings/billing" className="text-primary underline-offset-4 hover:underline">
            Back to billing
          </Link>
        </p>
      ) : (
        <p className="text-sm">
          This invoice can no longer be paid. A transfer that still arrives is held for an admin to resolve; create a
          new invoice from the billing page.
        </p>
      )}
    </div>
  );
}
