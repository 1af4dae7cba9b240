import { routes } from "@agentbot/contracts";
import type { Router } from "express";
import type { AppDeps } from "../app-deps.ts";
import { mountRoute, respondWith } from "../http/mount-route.ts";
import { checkDependencies, failingDependencies } from "./check-dependencies.ts";

export function mountHealthRoutes(router: Router, deps: AppDeps) {
  mountRoute(router, routes.liveness, () => ({ status: "ok" as const }));

  mountRoute(router, routes.readiness, async ({ res }) => {
    res.setHeader("cache-control", "no-store");
    const checks = await checkDependencies(deps, deps.readinessTimeoutMs);
    const failing = failingDependencies(checks);
    const body = { ready: failing.length === 0, failing, checks };
    return failing.length === 0 ? body : respondWith(503, body);
  });
}
