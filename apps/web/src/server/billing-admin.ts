import "server-only";
import { formatUsdc, listReceipts, parseBaseUnits, usdcNetworks } from "@agentbot/billing";
import type { UsdcNetwork } from "@agentbot/billing";
import { getPlan, PlanId } from "@agentbot/plans";
import { services } from "./infra.ts";
import type { Viewer } from "./session.ts";
import { statusLabel, usdcInvoiceView } from "./billing.ts";

/** The admin billing views. Every function takes the admin viewer (pages call requireAdmin first). */

const planName = (plan: string) => {
  const parsed = PlanId.safeParse(plan);
  return parsed.success ? getPlan(parsed.data).name : plan;
};

export async function adminBillingOverview(
  _admin: Viewer,
  filters: { readonly subscriptionStatus?: string; readonly invoiceStatus?: string } = {},
) {
  const { db } = services();
  const [subscriptions, invoices, heldTransfers, grants, receipts] = await Promise.all([
    db.stripeSubscription.findMany({
      where: filters.subscriptionStatus ? { status: filters.subscriptionStatus } : {},
      orderBy: { updatedAt: "desc" },
      take: 100,
    }),
    db.usdcInvoice.findMany({
      where: filters.invoiceStatus ? { status: filters.invoiceStatus } : {},
      orderBy: { createdAt: "desc" },
      take: 100,
    }),
    db.usdcTransfer.findMany({
      where: { status: { in: ["late", "unknown_address", "wrong_token", "wrong_network"] } },
      orderBy: { createdAt: "desc" },
      take: 100,
      include: { invoice: { select: { userId: true, id: true } } },
    }),
    db.planGrant.findMany({ where: { revokedAt: null }, orderBy: { createdAt: "desc" }, take: 100 }),
    listReceipts(db, { take: 30 }),
  ]);
  const userIds = [
    ...new Set([
      ...subscriptions.map((s) => s.userId),
      ...invoices.map((i) => i.userId),
      ...grants.map((g) => g.userId),
      ...receipts.map((r) => r.userId),
      ...heldTransfers.flatMap((t) => (t.invoice ? [t.invoice.userId] : [])),
    ]),
  ];
  const users = new Map(
    (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })).map((u) => [
      u.id,
      u.email,
    ]),
  );
  const email = (id: string | null | undefined) => (id ? (users.get(id) ?? id) : "—");
  return {
    subscriptions: subscriptions.map((s) => ({
      id: s.id,
      user: email(s.userId),
      plan: planName(s.plan),
      interval: s.interval,
      status: s.status,
      statusLabel: statusLabel(s.status),
      currentPeriodEnd: s.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    })),
    invoices: invoices.map((i) => ({ ...usdcInvoiceView(i), user: email(i.userId) })),
    heldTransfers: heldTransfers.map((t) => {
      const amount = parseBaseUnits(t.amount);
      const usdc = usdcNetworks[t.network as UsdcNetwork];
      const isUsdc = usdc !== undefined && usdc.usdcContract.toLowerCase() === t.contractAddress.toLowerCase();
      return {
        id: t.id,
        user: email(t.invoice?.userId),
        invoiceId: t.invoice?.id ?? null,
        status: t.status,
        amount: isUsdc && amount !== null ? formatUsdc(amount) : `${t.amount} base units of ${t.contractAddress}`,
        network: t.network,
        txHash: t.txHash,
        toAddress: t.toAddress,
        creditable: t.status === "late" && t.invoice !== null && isUsdc,
        createdAt: t.createdAt.toISOString(),
      };
    }),
    grants: grants.map((g) => ({
      id: g.id,
      user: email(g.userId),
      plan: planName(g.plan),
      endsAt: g.endsAt?.toISOString() ?? null,
      reason: g.reason,
      createdAt: g.createdAt.toISOString(),
    })),
    receipts: receipts.map((r) => ({
      taskId: r.taskId,
      user: email(r.userId),
      reference: r.payload.reference,
      amount: r.payload.amount,
      method: r.payload.method,
      sentAt: r.sentAt?.toISOString() ?? null,
    })),
  };
}

export type AdminBillingOverview = Awaited<ReturnType<typeof adminBillingOverview>>;
