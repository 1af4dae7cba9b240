import { routes } from "@agentbot/contracts";
import { plans } from "@agentbot/plans";
import type { Router } from "express";
import type { AppDeps } from "../app-deps.ts";
import { mountRoute } from "../http/mount-route.ts";
import { getPlatformStatus } from "./get-platform-status.ts";

export function mountPlatformRoutes(router: Router, deps: AppDeps) {
  mountRoute(router, routes.platformStatus, () => getPlatformStatus(deps));
  // The plans come from the single definition in @agentbot/plans; the contract shapes the answer.
  mountRoute(router, routes.listPlans, () => ({ plans: [...plans] }));
}
