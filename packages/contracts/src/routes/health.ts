import { z } from "zod";
import { defineRoute } from "../route.ts";

export const DependencyCheck = z
  .object({
    status: z.enum(["ok", "fail", "in_process"]).meta({
      description: "`in_process`: Redis is not configured; in-process stand-ins serve a single instance",
    }),
    latencyMs: z.number().nonnegative().optional(),
    error: z.string().optional().meta({ description: "Why the check failed (no secrets)" }),
  })
  .meta({ id: "DependencyCheck" });
export type DependencyCheck = z.infer<typeof DependencyCheck>;

export const DependencyChecks = z.object({ postgres: DependencyCheck, redis: DependencyCheck });
export type DependencyChecks = z.infer<typeof DependencyChecks>;

export const LivenessResponse = z.object({ status: z.literal("ok") }).meta({ id: "Liveness" });

export const ReadinessResponse = z
  .object({
    ready: z.boolean(),
    /** Names of the checks that failed, so a probe log says which dependency is down. */
    failing: z.array(z.enum(["postgres", "redis"])),
    checks: DependencyChecks,
  })
  .meta({ id: "Readiness" });
export type ReadinessResponse = z.infer<typeof ReadinessResponse>;

export const livenessRoute = defineRoute({
  id: "getLiveness",
  method: "get",
  path: "/healthz",
  summary: "Liveness: the process is up and serving HTTP",
  tags: ["health"],
  auth: "none",
  successStatus: 200,
  request: {},
  response: LivenessResponse,
});

export const readinessRoute = defineRoute({
  id: "getReadiness",
  method: "get",
  path: "/readyz",
  summary: "Readiness: PostgreSQL and Redis answer; 503 names the failing dependency",
  tags: ["health"],
  auth: "none",
  successStatus: 200,
  request: {},
  response: ReadinessResponse,
  alternateResponses: { 503: { description: "Not ready: at least one dependency failed", schema: ReadinessResponse } },
});
