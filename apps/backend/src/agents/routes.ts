import { routes } from "@agentbot/contracts";
import type { AgentStreamEvent } from "@agentbot/contracts";
import type { Router } from "express";
import { HttpError } from "../http/http-error.ts";
import { mountRoute } from "../http/mount-route.ts";
import { mountStreamRoute } from "../http/mount-stream-route.ts";
import { provisionAgent, requestAgentOperation } from "./agent-commands.ts";
import { controlUiLink, followLogs, getAgentDetail, listAgents, prepareChat, recentLogs } from "./agent-queries.ts";
import type { AgentServices } from "./agent-services.ts";
import { agentChannel } from "./agent-timeline.ts";
import { agentWithActiveOperation, toAgentView } from "./agent-view.ts";

/** How long a deleted agent still appears in the first message of a live stream. */
const RECENTLY_DELETED_MS = 60 * 60_000;

export function mountAgentRoutes(router: Router, services: AgentServices) {
  mountRoute(router, routes.provisionAgent, ({ body }) => provisionAgent(services, body));
  mountRoute(router, routes.listAgents, ({ params, query }) =>
    listAgents(services, params.userId, query.includeDeleted === "true"),
  );
  mountRoute(router, routes.getAgent, ({ params }) => getAgentDetail(services, params.userId, params.agentId));
  mountRoute(router, routes.agentAction, ({ params, body }) =>
    requestAgentOperation(services, { userId: params.userId, agentId: params.agentId, action: body }),
  );
  mountRoute(router, routes.deleteAgent, ({ params }) =>
    requestAgentOperation(services, { userId: params.userId, agentId: params.agentId, action: { action: "delete" } }),
  );
  mountRoute(router, routes.getAgentLogs, ({ params, query }) =>
    recentLogs(services, params.userId, params.agentId, query.limit),
  );
  mountRoute(router, routes.getAgentControlUi, ({ params }) => controlUiLink(services, params.userId, params.agentId));

  mountStreamRoute(router, routes.followAgentLogs, async ({ params }) => {
    const stop = new AbortController();
    let send: ((data: unknown) => boolean) | undefined;
    const follow = await followLogs(services, {
      userId: params["userId"]!,
      agentId: params["agentId"]!,
      signal: stop.signal,
      onLine: (line) => send?.(line),
    });
    return async (sse) => {
      send = (data) => sse.send(data);
      sse.signal.addEventListener("abort", () => stop.abort(), { once: true });
      await follow();
    };
  });

  mountStreamRoute(router, routes.streamAgentEvents, async ({ params, query }) => {
    const userId = params["userId"]!;
    const agentId = typeof query["agentId"] === "string" ? query["agentId"] : undefined;
    if (agentId) {
      const exists = await services.db.agent.count({ where: { id: agentId, userId } });
      if (exists === 0) throw new HttpError(404, "not_found", "No such agent.");
    }
    return async (sse) => {
      const unsubscribe = await services.kv.subscribe(agentChannel(userId), (message) => {
        const update = JSON.parse(message) as AgentStreamEvent;
        if (!agentId || update.agent.id === agentId) sse.send(update);
      });
      try {
        // The current state first, so a client that connects mid-operation starts from the truth. Agents deleted
        // recently are included: a page rendered while one was `deleting` learns here that it is gone, even when the
        // deletion finished before this stream opened.
        const recentlyDeleted = new Date(Date.now() - RECENTLY_DELETED_MS);
        const current = await services.db.agent.findMany({
          where: {
            userId,
            OR: [{ deletedAt: null }, { deletedAt: { gte: recentlyDeleted } }],
            ...(agentId ? { id: agentId } : {}),
          },
          ...agentWithActiveOperation,
        });
        for (const agent of current) sse.send({ agent: toAgentView(agent), event: null } satisfies AgentStreamEvent);
        await new Promise<void>((resolve) => sse.signal.addEventListener("abort", () => resolve(), { once: true }));
      } finally {
        await unsubscribe();
      }
    };
  });

  mountStreamRoute(router, routes.chatWithAgent, async ({ params, body }) => {
    const chat = body as { message: string; sessionKey?: string };
    const run = await prepareChat(services, {
      userId: params["userId"]!,
      agentId: params["agentId"]!,
      message: chat.message,
      sessionKey: chat.sessionKey,
    });
    return (sse) => run((event) => sse.send(event), sse.signal);
  });
}
