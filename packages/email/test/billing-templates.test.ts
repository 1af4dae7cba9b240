import { describe, expect, it } from "vitest";
import {
  renderBillingAgentsResumedEmail,
  renderBillingAgentsSuspendedEmail,
  renderBillingPaymentFailedEmail,
  renderBillingReceiptEmail,
  renderBillingTrialEndingEmail,
  renderBillingUsdcInvoiceEmail,
  renderVerificationEmail,
} from "../src/index.ts";
import type { RenderedEmail } from "../src/index.ts";

/** The href of the main button (the first link in the HTML). */
function buttonHref(email: RenderedEmail): string | undefined {
  return /<a href="([^"]*)"/.exec(email.html)?.[1]?.replaceAll("&amp;", "&");
}

// 3 December 2026 in UTC at both ends of the day: in any other time zone one of them falls on another local day.
const earlyDec3 = new Date("2026-12-03T00:30:00Z");
const lateDec3 = new Date("2026-12-03T23:30:00Z");
const url = "https://agentbot.example/billing?tab=plan&from=email";
const address = "0x1234567890abcdef1234567890abcdef12345678";

const receipt = (overrides: Partial<Parameters<typeof renderBillingReceiptEmail>[0]> = {}) =>
  renderBillingReceiptEmail({
    name: "Ada",
    method: "card",
    planName: "Pro",
    amount: "$49.00",
    reference: "in_1QxYz",
    periodEnd: lateDec3,
    billingUrl: url,
    ...overrides,
  });
const paymentFailed = (overrides: Partial<Parameters<typeof renderBillingPaymentFailedEmail>[0]> = {}) =>
  renderBillingPaymentFailedEmail({
    name: "Ada",
    amount: "$49.00",
    actionRequired: false,
    graceEndsAt: earlyDec3,
    fixUrl: url,
    ...overrides,
  });
const trialEnding = (overrides: Partial<Parameters<typeof renderBillingTrialEndingEmail>[0]> = {}) =>
  renderBillingTrialEndingEmail({ name: "Ada", planName: "Pro", trialEnd: lateDec3, billingUrl: url, ...overrides });
const suspended = (overrides: Partial<Parameters<typeof renderBillingAgentsSuspendedEmail>[0]> = {}) =>
  renderBillingAgentsSuspendedEmail({
    name: "Ada",
    reason: "your payment is overdue",
    agentNames: ["support-bot", "sales-bot"],
    billingUrl: url,
    ...overrides,
  });
const resumed = (overrides: Partial<Parameters<typeof renderBillingAgentsResumedEmail>[0]> = {}) =>
  renderBillingAgentsResumedEmail({
    name: "Ada",
    agentNames: ["support-bot", "sales-bot"],
    agentsUrl: url,
    ...overrides,
  });
const usdcInvoice = (overrides: Partial<Parameters<typeof renderBillingUsdcInvoiceEmail>[0]> = {}) =>
  renderBillingUsdcInvoiceEmail({
    name: "Ada",
    planName: "Pro",
    interval: "month",
    amount: "49 USDC",
    address,
    networkLabel: "Base",
    expiresAt: new Date("2026-12-03T14:05:00Z"),
    payUrl: url,
    ...overrides,
  });

/** Checks what every rendered email must have: the template name, the button, plain text, greeting. */
function expectWellFormed(email: RenderedEmail, template: string, actionLabel: string) {
  expect(email.template).toBe(template);
  expect(buttonHref(email)).toBe(url);
  expect(email.text).toContain(`${actionLabel}:\n${url}`);
  expect(email.html).toContain(`>${actionLabel}</a>`);
  expect(email.text).toMatch(/^Hi Ada,/);
  expect(email.text).not.toMatch(/<[a-z]/i);
  expect(email.subject).not.toMatch(/[\r\n]/);
  expect(email.html).toMatch(/^<!doctype html>/);
  expect(email.html).not.toMatch(/<style|<script|class="/);
}

describe("billing templates", () => {
  it("receipt: plan, amount, method, reference and period end, as facts in both versions", () => {
    const email = receipt();
    expectWellFormed(email, "billing_receipt", "View billing");
    expect(email.subject).toBe("Your Agentbot receipt: $49.00");
    expect(email.text).toContain("We received your payment of $49.00 (by card) for the Pro plan.");
    expect(email.text).toContain("Your plan is paid until 3 December 2026.");
    expect(email.text).toContain(
      "Plan: Pro\nAmount: $49.00\nPaid with: Card\nReference: in_1QxYz\nPaid until: 3 December 2026",
    );
    for (const cell of ["Plan", "Pro", "Amount", "$49.00", "Paid with", "Card", "Reference", "in_1QxYz"]) {
      expect(email.html).toMatch(new RegExp(`<td[^>]*>${cell.replace("$", "\\$")}</td>`));
    }

    const usdc = receipt({ method: "usdc", amount: "49 USDC", periodEnd: null });
    expect(usdc.subject).toBe("Your Agentbot receipt: 49 USDC");
    expect(usdc.text).toContain("(in USDC)");
    expect(usdc.text).toContain("Paid with: USDC");
    expect(usdc.text).not.toContain("Paid until");
    expect(() => receipt({ amount: "  " })).toThrow(/amount/);
  });

  it("payment failed: failed or needs confirming, grace period, nothing deleted", () => {
    const failed = paymentFailed();
    expectWellFormed(failed, "billing_payment_failed", "Update payment method");
    expect(failed.subject).toBe("Your Agentbot payment of $49.00 failed");
    expect(failed.text).toContain("We could not take the payment of $49.00");
    expect(failed.text).toContain("Your agents keep running until 3 December 2026.");
    expect(failed.text).toContain("they will be paused");
    expect(failed.text).toContain("Nothing is deleted");
    expect(failed.text).toContain("Agents keep running until: 3 December 2026");
    expect(failed.text).not.toMatch(/confirm/i);

    const confirm = paymentFailed({ actionRequired: true, graceEndsAt: null });
    expectWellFormed(confirm, "billing_payment_failed", "Confirm the payment");
    expect(confirm.subject).toBe("Confirm your Agentbot payment of $49.00");
    expect(confirm.text).toContain("Your bank asks you to confirm the payment of $49.00");
    expect(confirm.text).toContain("Your agents keep running for now.");
    expect(confirm.text).toContain("Nothing is deleted");
    expect(confirm.text).not.toContain("until:");
    expect(confirm.text).not.toContain("Update payment method");
  });

  it("trial ending: plan and end date", () => {
    const email = trialEnding();
    expectWellFormed(email, "billing_trial_ending", "Review billing");
    expect(email.subject).toBe("Your Agentbot trial ends on 3 December 2026");
    expect(email.text).toContain("Your free trial of the Pro plan ends on 3 December 2026.");
    expect(email.text).toContain("Plan: Pro\nTrial ends: 3 December 2026");
  });

  it("agents suspended: lists the stopped agents, stopped not deleted, resume on payment", () => {
    const email = suspended({ reason: "your payment is overdue." });
    expectWellFormed(email, "billing_agents_suspended", "Go to billing");
    expect(email.subject).toBe("Your Agentbot agents were stopped");
    expect(email.text).toContain(
      "We stopped your 2 agents because your payment is overdue:\n\n- support-bot\n- sales-bot",
    );
    expect(email.html).toMatch(/<ul[^>]*>\n<li[^>]*>support-bot<\/li>\n<li[^>]*>sales-bot<\/li>\n<\/ul>/);
    expect(email.text).toContain("stopped, not deleted");
    expect(email.text).toContain("they resume automatically");

    expect(suspended({ agentNames: ["support-bot"] }).text).toContain(
      "We stopped your agent because your payment is overdue:\n\n- support-bot",
    );

    const none = suspended({ agentNames: [] });
    expectWellFormed(none, "billing_agents_suspended", "Go to billing");
    expect(none.text).toContain("No agent was running");
    expect(none.text).not.toContain("\n- ");
    expect(none.html).not.toContain("<ul");
    expect(() => suspended({ reason: " " })).toThrow(/reason/);
  });

  it("agents resumed: lists the agents running again", () => {
    const email = resumed();
    expectWellFormed(email, "billing_agents_resumed", "Open your agents");
    expect(email.subject).toBe("Your Agentbot agents are running again");
    expect(email.text).toContain("we started your 2 agents again:\n\n- support-bot\n- sales-bot");
    expect(email.html).toMatch(/<li[^>]*>sales-bot<\/li>/);

    const none = resumed({ agentNames: [] });
    expectWellFormed(none, "billing_agents_resumed", "Open your agents");
    expect(none.text).toContain("No agent needed to be restarted.");
    expect(none.html).not.toContain("<ul");
  });

  it("USDC invoice: amount, address, network warning, expiry", () => {
    const email = usdcInvoice();
    expectWellFormed(email, "billing_usdc_invoice", "View the invoice");
    expect(email.subject).toBe("Your Agentbot invoice: 49 USDC");
    expect(email.text).toContain(`send 49 USDC to this address on the Base network: ${address}`);
    expect(email.text).toContain("Send only USDC on Base to this address.");
    expect(email.text).toContain("This invoice expires on 3 December 2026 at 14:05 UTC");
    expect(email.text).toContain(
      `Plan: Pro\nBilling: Monthly\nAmount: 49 USDC\nNetwork: Base\nDeposit address: ${address}\nExpires: 3 December 2026 at 14:05 UTC`,
    );
    expect(email.html).toMatch(new RegExp(`<td[^>]*>${address}</td>`));
    expect(usdcInvoice({ interval: "year" }).text).toContain("Billing: Yearly");
    expect(() => usdcInvoice({ address: "" })).toThrow(/address/);
    expect(() => usdcInvoice({ address: "0xabc 0xdef" })).toThrow(/address/);
    expect(() => usdcInvoice({ networkLabel: "" })).toThrow(/networkLabel/);
  });

  it("formats dates as the UTC calendar day", () => {
    for (const date of [earlyDec3, lateDec3]) {
      expect(receipt({ periodEnd: date }).text).toContain("Paid until: 3 December 2026");
      expect(paymentFailed({ graceEndsAt: date }).text).toContain("running until 3 December 2026.");
      expect(trialEnding({ trialEnd: date }).subject).toBe("Your Agentbot trial ends on 3 December 2026");
    }
    expect(usdcInvoice({ expiresAt: lateDec3 }).text).toContain("Expires: 3 December 2026 at 23:30 UTC");
    expect(usdcInvoice({ expiresAt: earlyDec3 }).text).toContain("Expires: 3 December 2026 at 00:30 UTC");
  });

  it("refuses invalid dates", () => {
    const invalid = new Date(Number.NaN);
    expect(() => receipt({ periodEnd: invalid })).toThrow(/periodEnd must be a valid date/);
    expect(() => paymentFailed({ graceEndsAt: invalid })).toThrow(/graceEndsAt must be a valid date/);
    expect(() => trialEnding({ trialEnd: invalid })).toThrow(/trialEnd must be a valid date/);
    expect(() => usdcInvoice({ expiresAt: invalid })).toThrow(/expiresAt must be a valid date/);
  });

  it("refuses links that are not absolute http(s) URLs", () => {
    for (const bad of ["javascript:alert(1)", "/billing", "data:text/html,<b>x</b>", "not a url"]) {
      expect(() => receipt({ billingUrl: bad })).toThrow(/URL/);
      expect(() => paymentFailed({ fixUrl: bad })).toThrow(/URL/);
      expect(() => trialEnding({ billingUrl: bad })).toThrow(/URL/);
      expect(() => suspended({ billingUrl: bad })).toThrow(/URL/);
      expect(() => resumed({ agentsUrl: bad })).toThrow(/URL/);
      expect(() => usdcInvoice({ payUrl: bad })).toThrow(/URL/);
    }
  });

  it("leaves existing templates without a list or facts table", () => {
    const { html } = renderVerificationEmail({ name: "Ada", url: "https://agentbot.example/v" });
    expect(html).not.toContain("<ul");
    expect(html).not.toContain("border-top:1px solid #e4e4e7");
  });
});

describe("billing template injection", () => {
  const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 'too'`;
  const escaped =
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;";
  // Addresses cannot contain spaces, so the hostile one is a single word.
  const hostileAddress = `<script>alert("x")</script>`;
  const escapedAddress = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;";

  const cases: ReadonlyArray<readonly [string, RenderedEmail, readonly string[]]> = [
    [
      "receipt",
      receipt({ name: hostile, planName: hostile, amount: hostile, reference: hostile }),
      [`Plan: ${hostile}`, `Amount: ${hostile}`, `Reference: ${hostile}`],
    ],
    ["payment failed", paymentFailed({ name: hostile, amount: hostile }), [`Amount: ${hostile}`]],
    ["payment needs confirming", paymentFailed({ name: hostile, amount: hostile, actionRequired: true }), []],
    ["trial ending", trialEnding({ name: hostile, planName: hostile }), [`Plan: ${hostile}`]],
    [
      "agents suspended",
      suspended({ name: hostile, reason: hostile, agentNames: [hostile, "<script>"] }),
      [`because ${hostile}:`, `- ${hostile}\n- <script>`],
    ],
    ["agents resumed", resumed({ name: hostile, agentNames: [hostile, "<script>"] }), [`- ${hostile}\n- <script>`]],
    [
      "USDC invoice",
      usdcInvoice({
        name: hostile,
        planName: hostile,
        amount: hostile,
        address: hostileAddress,
        networkLabel: hostile,
      }),
      [`Plan: ${hostile}`, `Amount: ${hostile}`, `Network: ${hostile}`, `Deposit address: ${hostileAddress}`],
    ],
  ];

  it.each(cases)("escapes every input in %s", (_name, email, textLines) => {
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain(escaped);
    // The text version is plain text: the inputs as typed.
    expect(email.text).toContain(`Hi ${hostile},`);
    for (const line of textLines) expect(email.text).toContain(line);
  });

  it("escapes the agent name <script> in the HTML list and keeps it literal in the text", () => {
    for (const email of [suspended({ agentNames: ["<script>"] }), resumed({ agentNames: ["<script>"] })]) {
      expect(email.html).toMatch(/<li[^>]*>&lt;script&gt;<\/li>/);
      expect(email.html).not.toContain("<script>");
      expect(email.text).toContain("- <script>");
    }
  });

  it("escapes the address and amount in the USDC invoice facts table", () => {
    const email = usdcInvoice({ address: hostileAddress, amount: hostile });
    expect(email.html).toContain(`overflow-wrap:anywhere;">${escapedAddress}</td>`);
    expect(email.html).toContain(`>${escaped}</td>`);
    expect(email.subject).toBe(`Your Agentbot invoice: ${hostile}`);
  });

  it("folds line breaks in inputs so they cannot forge lines or headers", () => {
    const email = receipt({ amount: "$49.00\r\nBcc: eve@example.com", reference: "in_1\nPaid until: never" });
    expect(email.subject).toBe("Your Agentbot receipt: $49.00 Bcc: eve@example.com");
    expect(email.text).toContain("Reference: in_1 Paid until: never\n");
    expect(suspended({ agentNames: ["a\nb"] }).text).toContain("- a b");
  });
});
