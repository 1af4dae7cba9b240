import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listReceipts, resendReceipt } from "../src/admin/resend-receipt.ts";
import { resolveUsdcTransfer } from "../src/admin/resolve-transfer.ts";
import { createUsdcInvoice } from "../src/usdc/create-usdc-invoice.ts";
import { expireUsdcInvoices } from "../src/usdc/expire-invoices.ts";
import { sendUsdcRenewals } from "../src/usdc/renewals.ts";
import { startUsdcFixture } from "./support/usdc-fixture.ts";
import type { UsdcFixture } from "./support/usdc-fixture.ts";

// 49 USDC (Collective, one month) in base units: USDC has 6 decimals.
const COLLECTIVE_MONTH = 49_000_000n;
const OTHER_TOKEN = "0x4200000000000000000000000000000000000006"; // WETH on Base

let usdc: UsdcFixture;
beforeAll(async () => {
  usdc = await startUsdcFixture();
});
afterAll(async () => {
  await usdc?.close();
});

async function userState(userId: string) {
  const user = await usdc.db.user.findUniqueOrThrow({ where: { id: userId } });
  return { plan: user.plan, status: user.subscriptionStatus };
}

describe("USDC invoices paid on Base", () => {
  it("gets a deposit address of its own from CDP and the plan's price in base units", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    expect(invoice).toMatchObject({
      status: "open",
      amountTotal: COLLECTIVE_MONTH,
      amountDue: COLLECTIVE_MONTH,
      network: "base-mainnet",
    });
    expect(invoice.depositAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect([...usdc.standIn.accounts.values()]).toContain(invoice.depositAddress);
    // Asking again for the same plan answers the same open invoice rather than minting another address.
    expect((await usdc.invoiceFor(userId)).id).toBe(invoice.id);
    const other = await usdc.invoiceFor(await usdc.createUser());
    expect(other.depositAddress).not.toBe(invoice.depositAddress);
  });

  it("exact amount: paid, the period starts now, the plan is active, a receipt is queued", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    const result = await usdc.pay(invoice.depositAddress, COLLECTIVE_MONTH);
    expect(result).toMatchObject({ outcome: "processed", transfer: "paid" });
    const paid = await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(paid).toMatchObject({ status: "paid", amountReceived: COLLECTIVE_MONTH });
    expect(paid.periodStart?.getTime()).toBe(usdc.fixture.clock.getTime());
    expect(paid.periodEnd!.getTime() - paid.periodStart!.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
    expect(await userState(userId)).toEqual({ plan: "collective", status: "active" });
    const tasks = await usdc.db.billingTask.findMany({ where: { userId, kind: "email" } });
    expect(tasks.map((task) => (task.payload as { template: string }).template)).toContain("billing_receipt");
  });

  it("partial amounts keep it open saying what is missing, down to one base unit (6 decimals)", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    expect(await usdc.pay(invoice.depositAddress, 48_999_999n)).toMatchObject({ transfer: "credited" });
    const open = await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(open).toMatchObject({ status: "open", amountReceived: 48_999_999n });
    const partial = await usdc.db.billingEvent.findFirstOrThrow({ where: { userId, type: "usdc.partial" } });
    expect(partial.message).toContain("0.000001 USDC still missing");
    expect(await userState(userId)).toEqual({ plan: null, status: "none" });

    expect(await usdc.pay(invoice.depositAddress, 1n)).toMatchObject({ transfer: "paid" });
    expect(await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
      amountReceived: COLLECTIVE_MONTH,
    });
    expect(await userState(userId)).toEqual({ plan: "collective", status: "active" });
  });

  it("overpayment becomes credit taken off the next invoice", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    expect(await usdc.pay(invoice.depositAddress, 50_500_000n)).toMatchObject({ transfer: "overpaid" });
    expect((await usdc.db.billingAccount.findUniqueOrThrow({ where: { userId } })).usdcCredit).toBe(1_500_000n);
    // More arriving for an invoice already paid is credit too.
    expect(await usdc.pay(invoice.depositAddress, 250_000n)).toMatchObject({ transfer: "overpaid" });
    expect((await usdc.db.billingAccount.findUniqueOrThrow({ where: { userId } })).usdcCredit).toBe(1_750_000n);

    const next = await createUsdcInvoice(usdc.deps, { userId, plan: "collective", interval: "month" });
    expect(next).toMatchObject({ creditApplied: 1_750_000n, amountDue: COLLECTIVE_MONTH - 1_750_000n, status: "open" });
    expect((await usdc.db.billingAccount.findUniqueOrThrow({ where: { userId } })).usdcCredit).toBe(0n);
    // Paying it early extends the plan: the next period starts where the paid one ends.
    await usdc.pay(next.depositAddress, next.amountDue);
    const [first, second] = await usdc.db.usdcInvoice.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    expect(second!.periodStart?.getTime()).toBe(first!.periodEnd?.getTime());
  });

  it("a transfer after expiry is recorded for an admin, not credited; the admin can credit it", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    const created = usdc.fixture.clock;
    usdc.fixture.clock = new Date(created.getTime() + 49 * 3_600_000);
    try {
      expect(await usdc.pay(invoice.depositAddress, COLLECTIVE_MONTH)).toMatchObject({ transfer: "late" });
      expect(await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
        status: "expired",
        amountReceived: 0n,
      });
      expect(await userState(userId)).toEqual({ plan: null, status: "none" });
      const held = await usdc.db.usdcTransfer.findFirstOrThrow({ where: { invoiceId: invoice.id } });
      expect(held).toMatchObject({ status: "late", amount: "49000000" });

      const adminId = await usdc.createUser();
      await resolveUsdcTransfer(usdc.db, {
        transferId: held.id,
        action: "credit",
        note: "paid late, honoured",
        adminId,
      });
      expect((await usdc.db.billingAccount.findUniqueOrThrow({ where: { userId } })).usdcCredit).toBe(COLLECTIVE_MONTH);
      // The credit covers the next invoice entirely: it is paid at once.
      const next = await createUsdcInvoice(usdc.deps, { userId, plan: "collective", interval: "month" });
      expect(next).toMatchObject({ status: "paid", amountDue: 0n });
      expect(await userState(userId)).toEqual({ plan: "collective", status: "active" });
    } finally {
      usdc.fixture.clock = created;
    }
  });

  it("an invoice nobody paid expires in the sweep", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId, "solo");
    expect(
      await expireUsdcInvoices(usdc.db, new Date(usdc.fixture.clock.getTime() + 49 * 3_600_000)),
    ).toBeGreaterThanOrEqual(1);
    expect((await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe("expired");
  });

  it("another token, another network or an unknown address is recorded and never credited", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    expect(await usdc.pay(invoice.depositAddress, COLLECTIVE_MONTH, { contract: OTHER_TOKEN })).toMatchObject({
      transfer: "wrong_token",
    });
    expect(await usdc.pay(invoice.depositAddress, COLLECTIVE_MONTH, { network: "base-sepolia" })).toMatchObject({
      transfer: "wrong_network",
    });
    expect(await usdc.pay("0x000000000000000000000000000000000000dEaD", COLLECTIVE_MONTH)).toMatchObject({
      transfer: "unknown_address",
    });
    expect(await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "open",
      amountReceived: 0n,
    });
    const recorded = await usdc.db.usdcTransfer.findMany({
      where: { amount: "49000000", status: { in: ["wrong_token", "wrong_network", "unknown_address"] } },
    });
    expect(recorded.map((transfer) => transfer.status).sort()).toEqual(
      expect.arrayContaining(["unknown_address", "wrong_network", "wrong_token"]),
    );
    expect(await userState(userId)).toEqual({ plan: null, status: "none" });
  });

  it("a duplicate delivery, or the same on-chain transfer under a new event id, credits nothing twice", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    const first = await usdc.pay(invoice.depositAddress, 20_000_000n, {
      transactionHash: `0x${"ab".repeat(32)}`,
      logIndex: 7,
    });
    expect(first).toMatchObject({ transfer: "credited" });
    await usdc.standIn.redeliver(first.eventId);
    expect(usdc.results.at(-1)).toMatchObject({ status: 200, outcome: "duplicate" });
    expect(
      await usdc.pay(invoice.depositAddress, 20_000_000n, { transactionHash: `0x${"ab".repeat(32)}`, logIndex: 7 }),
    ).toMatchObject({
      transfer: "duplicate_transfer",
    });
    expect((await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountReceived).toBe(
      20_000_000n,
    );
  });

  it("concurrent transfers to one invoice add up exactly", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    await Promise.all([
      usdc.standIn.transfer({ to: invoice.depositAddress, value: 24_500_000n }),
      usdc.standIn.transfer({ to: invoice.depositAddress, value: 24_500_000n }),
    ]);
    expect(await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
      amountReceived: COLLECTIVE_MONTH,
    });
  });
});

describe("USDC renewals and receipts", () => {
  it("emails the next invoice once, three days before a paid period ends", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId, "solo");
    await usdc.pay(invoice.depositAddress, 19_000_000n);
    const paid = await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } });
    const leadMs = 3 * 86_400_000;
    const created = usdc.fixture.clock;
    try {
      // Four days before the end: not yet.
      usdc.fixture.clock = new Date(paid.periodEnd!.getTime() - 4 * 86_400_000);
      await sendUsdcRenewals(usdc.deps, leadMs);
      expect(await usdc.db.usdcInvoice.count({ where: { userId } })).toBe(1);
      // Two days before: the next invoice, and its email, once however often the sweep runs.
      usdc.fixture.clock = new Date(paid.periodEnd!.getTime() - 2 * 86_400_000);
      await sendUsdcRenewals(usdc.deps, leadMs);
      await sendUsdcRenewals(usdc.deps, leadMs);
      const invoices = await usdc.db.usdcInvoice.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
      expect(invoices.map((row) => [row.plan, row.status])).toEqual([
        ["solo", "paid"],
        ["solo", "open"],
      ]);
      const emails = (await usdc.db.billingTask.findMany({ where: { userId, kind: "email" } })).filter(
        (task) => (task.payload as { template: string }).template === "billing_usdc_invoice",
      );
      expect(emails.map((task) => (task.payload as { invoiceId: string }).invoiceId)).toEqual([invoices[1]!.id]);
    } finally {
      usdc.fixture.clock = created;
    }
  });

  it("re-sends a receipt as a new email with the same facts, and refuses what is not a receipt", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId, "solo");
    await usdc.pay(invoice.depositAddress, 19_000_000n);
    const [receipt] = await listReceipts(usdc.db, { userId });
    expect(receipt?.payload).toMatchObject({ template: "billing_receipt", method: "usdc", amount: "19 USDC" });
    const audited: string[] = [];
    await resendReceipt(usdc.db, {
      taskId: receipt!.taskId,
      audit: (_tx, subject) => {
        audited.push(subject);
        return Promise.resolve();
      },
    });
    expect(audited).toEqual([userId]);
    const receipts = (await usdc.db.billingTask.findMany({ where: { userId, kind: "email" } })).filter(
      (task) => (task.payload as { template: string }).template === "billing_receipt",
    );
    expect(receipts).toHaveLength(2);
    expect(receipts[1]!.payload).toEqual(receipts[0]!.payload);
    await expect(resendReceipt(usdc.db, { taskId: "btk_not_a_receipt" })).rejects.toThrow("no such receipt");
  });
});

describe("CDP webhook signature", () => {
  it("refuses a tampered body or signature, a stale or missing signature, with 400 and no effect", async () => {
    const userId = await usdc.createUser();
    const invoice = await usdc.invoiceFor(userId);
    const good = usdc.standIn.signedDelivery({ to: invoice.depositAddress, value: COLLECTIVE_MONTH });
    const stale = usdc.standIn.signedDelivery({
      to: invoice.depositAddress,
      value: COLLECTIVE_MONTH,
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const signature = good.headers["x-hook0-signature"]!;
    const attempts = [
      { body: good.body.replace('"49000000"', '"99000000"'), headers: good.headers },
      {
        body: good.body,
        headers: {
          ...good.headers,
          "x-hook0-signature": signature.replace(/v1=([0-9a-f])/, (_m, d: string) => `v1=${d === "0" ? "1" : "0"}`),
        },
      },
      { body: good.body, headers: { ...good.headers, "x-hook0-id": "another-event-id" } },
      { body: stale.body, headers: stale.headers },
      { body: good.body, headers: { "content-type": "application/json", "x-hook0-id": good.eventId } },
    ];
    for (const attempt of attempts) {
      expect(await usdc.deliverRaw(attempt)).toMatchObject({ status: 400, error: "invalid_signature" });
    }
    expect(await usdc.db.billingWebhookEvent.count({ where: { provider: "cdp", eventId: good.eventId } })).toBe(0);
    expect((await usdc.db.usdcInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountReceived).toBe(0n);
    // The untouched delivery is accepted.
    expect(await usdc.deliverRaw(good)).toMatchObject({ status: 200, transfer: "paid" });
  });
});
