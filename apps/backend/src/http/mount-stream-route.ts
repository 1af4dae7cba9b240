import type { RouteDefinition } from "@agentbot/contracts";
import type { Request, Response, Router } from "express";
import { HttpError } from "./http-error.ts";
import { parseRequest } from "./mount-route.ts";
import { startServerSentEvents } from "./server-sent-events.ts";
import type { ServerSentEvents } from "./server-sent-events.ts";

/**
 * A streaming contract route: the request is validated like any other (400 naming fields), `prepare` may still
 * refuse with an ordinary JSON error (404, 409), and only then the event stream starts.
 */
export function mountStreamRoute<R extends RouteDefinition>(
  router: Router,
  route: R,
  prepare: (
    input: { params: Record<string, string>; query: Record<string, unknown>; body: unknown },
    req: Request,
  ) => Promise<(sse: ServerSentEvents) => Promise<void>>,
) {
  router[route.method](route.path, async (req: Request, res: Response) => {
    if (route.request.body && !req.is("application/json")) {
      throw new HttpError(415, "unsupported_media_type", "Send the request body as application/json.");
    }
    const parsed = parseRequest(route, req) as {
      params: Record<string, string>;
      query: Record<string, unknown>;
      body: unknown;
    };
    const run = await prepare(parsed, req);
    const sse = startServerSentEvents(req, res);
    try {
      await run(sse);
    } catch (error) {
      req.log.warn({ err: error }, "event stream ended with an error");
    } finally {
      sse.end();
    }
  });
}
