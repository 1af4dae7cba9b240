import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

/**
 * The web app's configuration: the only module that reads `process.env` (lint enforces it).
 *
 * Every variable here is server-only. `@t3-oss/env-nextjs` throws if a server variable is read in browser code, and
 * Next.js inlines only `NEXT_PUBLIC_*` variables into client bundles, so none of these can reach the browser;
 * `e2e/service-token-redaction.spec.ts` proves it for the service token. `PORT` is read by `next start` itself.
 */

// `next build` evaluates modules to collect page data; the token is a runtime secret and need not exist at build time.
const isBuild = process.env.NEXT_PHASE === "phase-production-build";

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Base URL of the Express backend (apps/backend). */
    BACKEND_URL: z.url().default("http://127.0.0.1:4000"),
    /** Bearer token for the backend's service routes; the backend requires at least 32 characters. */
    BACKEND_SERVICE_TOKEN: z.string().min(32, "BACKEND_SERVICE_TOKEN must be at least 32 characters").optional(),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  createFinalSchema: (shape) =>
    z.object(shape).superRefine((value, ctx) => {
      if (value.NODE_ENV === "production" && !isBuild && value.BACKEND_SERVICE_TOKEN === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["BACKEND_SERVICE_TOKEN"],
          message: "BACKEND_SERVICE_TOKEN is required in production",
        });
      }
    }),
});
