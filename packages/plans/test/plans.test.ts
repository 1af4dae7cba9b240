import { describe, expect, it } from "vitest";
import {
  formatCpu,
  formatMaxAgents,
  formatMemory,
  formatPrice,
  getPlan,
  planAllowsAnotherAgent,
  planRank,
  plans,
} from "../src/index.ts";

describe("plans", () => {
  it("lists the four plans in price order with the product's figures", () => {
    expect(plans.map((plan) => [plan.name, formatCpu(plan), formatMemory(plan), formatMaxAgents(plan)])).toEqual([
      ["Solo", "1 vCPU (1000m)", "2 GB", "1"],
      ["Collective", "2 vCPU (2000m)", "4 GB", "3"],
      ["Label", "4 vCPU (4000m)", "8 GB", "10"],
      ["Network", "8 vCPU (8000m)", "16 GB", "Unlimited"],
    ]);
  });

  it("never sizes an agent below OpenClaw's memory floor", () => {
    for (const plan of plans) expect(plan.memoryMb).toBeGreaterThanOrEqual(2048);
  });

  it("enforces max agents, with Network unlimited", () => {
    expect(planAllowsAnotherAgent(getPlan("solo"), 0)).toBe(true);
    expect(planAllowsAnotherAgent(getPlan("solo"), 1)).toBe(false);
    expect(planAllowsAnotherAgent(getPlan("label"), 9)).toBe(true);
    expect(planAllowsAnotherAgent(getPlan("label"), 10)).toBe(false);
    expect(planAllowsAnotherAgent(getPlan("network"), 100_000)).toBe(true);
  });

  it("prices each plan per month and per year (ten months), rising with the plan", () => {
    expect(plans.map((plan) => formatPrice(plan, "month"))).toEqual([
      "$19 / month",
      "$49 / month",
      "$149 / month",
      "$399 / month",
    ]);
    for (const plan of plans) {
      expect(Number.isInteger(plan.priceUsdCents.month)).toBe(true);
      expect(plan.priceUsdCents.year).toBe(plan.priceUsdCents.month * 10);
    }
    expect(formatPrice(getPlan("label"), "year")).toBe("$1,490 / year");
    expect(plans.map((plan) => planRank(plan.id))).toEqual([0, 1, 2, 3]);
  });

  it("is frozen so no caller can edit the one definition", () => {
    expect(Object.isFrozen(plans)).toBe(true);
  });
});
