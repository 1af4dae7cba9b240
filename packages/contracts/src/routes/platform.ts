import { PlanId } from "@agentbot/plans";
import { z } from "zod";
import { defineRoute } from "../route.ts";
import { DependencyChecks } from "./health.ts";

export const PlatformStatus = z
  .object({
    status: z.enum(["operational", "degraded"]),
    version: z.string(),
    environment: z.enum(["development", "test", "production"]),
    startedAt: z.iso.datetime(),
    uptimeSeconds: z.number().int().nonnegative(),
    checks: DependencyChecks,
  })
  .meta({ id: "PlatformStatus" });
export type PlatformStatus = z.infer<typeof PlatformStatus>;

export const PlanSummary = z
  .object({
    id: PlanId,
    name: z.string(),
    cpuMillicores: z.number().int().positive(),
    memoryMb: z.number().int().positive(),
    maxAgents: z.number().int().positive().nullable().meta({ description: "null means unlimited" }),
    description: z.string(),
    priceUsdCents: z
      .object({ month: z.number().int().nonnegative(), year: z.number().int().nonnegative() })
      .meta({ description: "list price in US cents per interval (a USDC period costs exactly this)" }),
  })
  .meta({ id: "Plan" });
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlansResponse = z.object({ plans: z.array(PlanSummary) }).meta({ id: "PlanList" });
export type PlansResponse = z.infer<typeof PlansResponse>;

export const platformStatusRoute = defineRoute({
  id: "getPlatformStatus",
  method: "get",
  path: "/api/status",
  summary: "Platform status: version, uptime and dependency checks",
  tags: ["platform"],
  auth: "service",
  successStatus: 200,
  request: {},
  response: PlatformStatus,
});

export const listPlansRoute = defineRoute({
  id: "listPlans",
  method: "get",
  path: "/api/plans",
  summary: "The plans customers can choose, with CPU, memory and agent limits",
  tags: ["platform"],
  auth: "service",
  successStatus: 200,
  request: {},
  response: PlansResponse,
});
