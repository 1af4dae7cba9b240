import { routes } from "@agentbot/contracts";
import type { Router } from "express";
import { mountRoute } from "../http/mount-route.ts";
import { mountStreamRoute } from "../http/mount-stream-route.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { countPendingApprovals } from "./count-pending-approvals.ts";
import { decideApproval } from "./decide-approval.ts";
import { followApprovals } from "./follow-approvals.ts";
import { listApprovals } from "./list-approvals.ts";
import { listExecAllowlist } from "./list-exec-allowlist.ts";
import { removeExecAllowlistEntry } from "./remove-exec-allowlist-entry.ts";
import { setExecPolicy } from "./set-exec-policy.ts";

export function mountApprovalRoutes(router: Router, services: ApprovalServices) {
  mountRoute(router, routes.listApprovals, ({ params, query }) =>
    listApprovals(services, { userId: params.userId, ...query }),
  );
  mountRoute(router, routes.countPendingApprovals, ({ params }) => countPendingApprovals(services, params.userId));
  mountStreamRoute(router, routes.streamApprovals, ({ params }) => {
    const userId = params["userId"]!;
    return Promise.resolve((sse) =>
      followApprovals(services, { userId, send: (event) => sse.send(event), signal: sse.signal }),
    );
  });
  mountRoute(router, routes.decideApproval, ({ params, body }) =>
    decideApproval(services, { userId: params.userId, approvalId: params.approvalId, ...body }),
  );
  mountRoute(router, routes.setAgentExecPolicy, ({ params, body }) =>
    setExecPolicy(services, { userId: params.userId, agentId: params.agentId, execPolicy: body.execPolicy }),
  );
  mountRoute(router, routes.listExecAllowlist, ({ params }) => listExecAllowlist(services, params));
  mountRoute(router, routes.removeExecAllowlistEntry, ({ params }) => removeExecAllowlistEntry(services, params));
}
