import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBillingCatalog } from "../src/rules/catalog.ts";
import { decideEnforcement } from "../src/rules/enforcement.ts";
import { resolveEntitlement } from "../src/rules/entitlement.ts";
import type { EntitlementSources, StripeSubscriptionSource } from "../src/rules/entitlement.ts";
import { formatUsdCents, formatUsdc, parseBaseUnits, usdcDecimalString, usdcForCents } from "../src/rules/money.ts";

const now = new Date("2026-12-03T12:00:00Z");
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const none: EntitlementSources = { stripe: [], usdc: [], grants: [] };

function stripe(overrides: Partial<StripeSubscriptionSource> & { status: string }): StripeSubscriptionSource {
  return {
    id: `sub_${overrides.status}_${overrides.plan ?? "solo"}`,
    plan: "solo",
    currentPeriodEnd: days(20),
    trialEnd: null,
    cancelAtPeriodEnd: false,
    updatedAt: now,
    ...overrides,
  };
}

describe("money", () => {
  it("converts cents to USDC base units exactly and formats without floating point", () => {
    expect(usdcForCents(1900)).toBe(19_000_000n);
    expect(usdcForCents(1)).toBe(10_000n);
    expect(formatUsdc(19_000_000n)).toBe("19 USDC");
    expect(formatUsdc(12_500_000n)).toBe("12.5 USDC");
    expect(formatUsdc(1n)).toBe("0.000001 USDC");
    expect(formatUsdc(-2_000_001n)).toBe("-2.000001 USDC");
    expect(usdcDecimalString(49_000_010n)).toBe("49.00001");
    expect(formatUsdCents(149_000)).toBe("$1,490.00");
    expect(formatUsdCents(1905)).toBe("$19.05");
    expect(() => usdcForCents(19.5)).toThrow(RangeError);
  });

  it("parses only plain decimal digits of base units, of any size", () => {
    expect(parseBaseUnits("19000000")).toBe(19_000_000n);
    expect(parseBaseUnits("115792089237316195423570985008687907853269984665640564039457584007913129639935")).toBe(
      2n ** 256n - 1n,
    );
    for (const bad of ["", "-1", "1.5", "1e6", "0x10", " 1", "１"]) expect(parseBaseUnits(bad)).toBeNull();
  });

  it("round-trips any amount through its decimal string", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (amount) => {
        const text = usdcDecimalString(amount);
        const [whole = "", fraction = ""] = text.split(".");
        expect(BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0") || "0")).toBe(amount);
      }),
    );
  });
});

describe("catalog", () => {
  it("maps configured Stripe prices both ways and prices USDC periods from the plans table", () => {
    const catalog = createBillingCatalog({ "solo:month": "price_solo_m", "label:year": "price_label_y" });
    expect(catalog.stripePriceId("solo", "month")).toBe("price_solo_m");
    expect(catalog.stripePriceId("solo", "year")).toBeNull();
    expect(catalog.cardAvailable("label", "year")).toBe(true);
    expect(catalog.cardAvailable("network", "month")).toBe(false);
    expect(catalog.planOfStripePrice("price_label_y")).toEqual({ plan: "label", interval: "year" });
    expect(catalog.planOfStripePrice("price_unknown")).toBeNull();
    expect(catalog.usdcAmount("collective", "month")).toBe(49_000_000n);
    expect(catalog.usdcAmount("collective", "year")).toBe(490_000_000n);
  });

  it("refuses one Stripe price configured for two plans", () => {
    expect(() => createBillingCatalog({ "solo:month": "price_x", "collective:month": "price_x" })).toThrow(
      /price_x is configured for both solo\/month and collective\/month/,
    );
  });
});

describe("resolveEntitlement", () => {
  it("is none without sources", () => {
    expect(resolveEntitlement(none, now)).toMatchObject({ plan: null, status: "none", source: null });
  });

  it("follows a Stripe subscription through its statuses", () => {
    for (const [status, expected] of [
      ["trialing", "trialing"],
      ["active", "active"],
      ["past_due", "past_due"],
      ["unpaid", "unpaid"],
      ["canceled", "canceled"],
      ["incomplete_expired", "canceled"],
      ["paused", "paused"],
      ["something_new", "incomplete"],
    ] as const) {
      const entitlement = resolveEntitlement({ ...none, stripe: [stripe({ status, plan: "label" })] }, now);
      expect(entitlement.status, status).toBe(expected);
      expect(entitlement.plan).toBe("label");
      expect(entitlement.source).toEqual({ kind: "stripe", id: `sub_${status}_label` });
    }
  });

  it("entitles through a paid USDC period only while it covers now, then says expired", () => {
    const period = { invoiceId: "uin_1", plan: "collective", periodStart: days(-10), periodEnd: days(20) };
    expect(resolveEntitlement({ ...none, usdc: [period] }, now)).toMatchObject({
      plan: "collective",
      status: "active",
      periodEnd: days(20),
    });
    expect(resolveEntitlement({ ...none, usdc: [period] }, days(21))).toMatchObject({ status: "expired" });
    // A renewal paid early, starting later, does not entitle yet and does not count as lapsed.
    const later = { invoiceId: "uin_2", plan: "label", periodStart: days(20), periodEnd: days(50) };
    expect(resolveEntitlement({ ...none, usdc: [period, later] }, now)).toMatchObject({ plan: "collective" });
    expect(resolveEntitlement({ ...none, usdc: [period, later] }, days(25))).toMatchObject({ plan: "label" });
  });

  it("lets an admin grant win over the providers, until it ends or is revoked", () => {
    const sources: EntitlementSources = {
      stripe: [stripe({ status: "past_due", plan: "network" })],
      usdc: [],
      grants: [{ id: "pgr_1", plan: "solo", startsAt: days(-1), endsAt: days(5), revokedAt: null }],
    };
    expect(resolveEntitlement(sources, now)).toMatchObject({ plan: "solo", status: "active", source: { id: "pgr_1" } });
    expect(resolveEntitlement(sources, days(6))).toMatchObject({ plan: "network", status: "past_due" });
    const revoked = { ...sources, grants: [{ ...sources.grants[0]!, revokedAt: now }] };
    expect(resolveEntitlement(revoked, now)).toMatchObject({ status: "past_due" });
  });

  it("takes the largest plan among entitling sources, and the most recent lapsed state otherwise", () => {
    const sources: EntitlementSources = {
      stripe: [stripe({ status: "active", plan: "solo" })],
      usdc: [{ invoiceId: "uin_1", plan: "label", periodStart: days(-1), periodEnd: days(29) }],
      grants: [],
    };
    expect(resolveEntitlement(sources, now)).toMatchObject({ plan: "label", source: { kind: "usdc" } });
    const lapsed: EntitlementSources = {
      stripe: [stripe({ status: "canceled", plan: "solo", updatedAt: days(-30) })],
      usdc: [{ invoiceId: "uin_1", plan: "label", periodStart: days(-31), periodEnd: days(-1) }],
      grants: [],
    };
    expect(resolveEntitlement(lapsed, now)).toMatchObject({ plan: "label", status: "expired" });
  });

  it("does not depend on the order the sources are listed in", () => {
    const source = fc.record({
      status: fc.constantFrom("trialing", "active", "past_due", "canceled", "unpaid", "paused"),
      plan: fc.constantFrom("solo", "collective", "label", "network"),
      end: fc.integer({ min: -40, max: 40 }),
      updated: fc.integer({ min: -40, max: 0 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(source, { minLength: 1, maxLength: 6, selector: (s) => `${s.status}${s.plan}` }),
        (list) => {
          const subs = list.map((s) =>
            stripe({ status: s.status, plan: s.plan, currentPeriodEnd: days(s.end), updatedAt: days(s.updated) }),
          );
          const forward = resolveEntitlement({ ...none, stripe: subs }, now);
          const backward = resolveEntitlement({ ...none, stripe: [...subs].reverse() }, now);
          expect(backward.plan).toBe(forward.plan);
          expect(backward.status).toBe(forward.status);
        },
      ),
    );
  });
});

describe("decideEnforcement", () => {
  const grace = 3 * 86_400_000;
  const base = { isAdmin: false, pastDueSince: null, suspendedAt: null } as const;

  it("lets entitled users run and resumes them when billing had suspended them", () => {
    expect(decideEnforcement({ ...base, status: "active" }, now, grace)).toEqual({ action: "none" });
    expect(decideEnforcement({ ...base, status: "trialing", suspendedAt: days(-1) }, now, grace)).toEqual({
      action: "resume",
    });
  });

  it("waits out the grace period of a past-due payment, then suspends", () => {
    expect(decideEnforcement({ ...base, status: "past_due", pastDueSince: days(-1) }, now, grace)).toEqual({
      action: "wait",
      until: days(2),
      reason: "grace_period",
    });
    expect(decideEnforcement({ ...base, status: "past_due", pastDueSince: days(-3) }, now, grace)).toEqual({
      action: "suspend",
      reason: "payment_overdue",
    });
  });

  it("suspends at once when the subscription ended, and only once", () => {
    for (const status of ["canceled", "unpaid", "expired", "paused", "incomplete"] as const) {
      expect(decideEnforcement({ ...base, status }, now, grace)).toEqual({
        action: "suspend",
        reason: "subscription_ended",
      });
      expect(decideEnforcement({ ...base, status, suspendedAt: now }, now, grace)).toEqual({ action: "none" });
    }
    expect(decideEnforcement({ ...base, status: "none" }, now, grace)).toEqual({
      action: "suspend",
      reason: "no_subscription",
    });
  });

  it("never suspends an admin", () => {
    expect(decideEnforcement({ ...base, status: "canceled", isAdmin: true }, now, grace)).toEqual({ action: "none" });
  });
});
