import { createOpenApiDocument } from "@agentbot/contracts/openapi";
import express from "express";
import { pinoHttp } from "pino-http";
import type { AppDeps } from "./app-deps.ts";
import { mountAgentRoutes } from "./agents/routes.ts";
import { mountApprovalRoutes } from "./approvals/routes.ts";
import { mountHealthRoutes } from "./health/routes.ts";
import { errorHandler, notFoundHandler } from "./http/error-handler.ts";
import { assignRequestId } from "./http/request-id.ts";
import { requireServiceToken } from "./http/service-auth.ts";
import { mountPlatformRoutes } from "./platform/routes.ts";

/** Request bodies above this are refused with 413 before any handler runs. */
export const JSON_BODY_LIMIT = "1mb";

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");

  // Every log line written while handling a request carries its id (`reqId`), also sent as `x-request-id`.
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => assignRequestId(req, res),
      // Bind only the id to the request's child logger (not the whole request object) as `reqId`.
      quietReqLogger: true,
      customAttributeKeys: { reqId: "reqId" },
      // One readable line per request; the structured fields (req, res, responseTime) stay on the line too.
      customSuccessMessage: (req, res, responseTime) =>
        `${req.method} ${req.url} → ${res.statusCode} in ${Math.round(responseTime)} ms`,
      customErrorMessage: (req, res, error) => `${req.method} ${req.url} → ${res.statusCode}: ${error.message}`,
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
      // Probes are polled every few seconds; logging each would drown everything else.
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
    }),
  );
  const publicRoutes = express.Router();
  mountHealthRoutes(publicRoutes, deps);
  app.use(publicRoutes);

  // Everything below the probes needs the service token, including unknown paths (no route enumeration).
  // Authenticate before parsing bodies: an anonymous caller never gets the JSON parser's attention.
  app.use(requireServiceToken(deps.serviceToken));
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  const serviceRoutes = express.Router();
  mountPlatformRoutes(serviceRoutes, deps);
  if (deps.agents) mountAgentRoutes(serviceRoutes, deps.agents);
  if (deps.approvals) mountApprovalRoutes(serviceRoutes, deps.approvals);
  const openApiDocument = createOpenApiDocument({ version: deps.version });
  serviceRoutes.get("/api/openapi.json", (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(serviceRoutes);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
