import { livenessRoute, readinessRoute } from "./health.ts";
import { listPlansRoute, platformStatusRoute } from "./platform.ts";

/** Every backend route. The OpenAPI document and the backend's route table are built from this list. */
export const routes = {
  liveness: livenessRoute,
  readiness: readinessRoute,
  platformStatus: platformStatusRoute,
  listPlans: listPlansRoute,
} as const;

export type Routes = typeof routes;
