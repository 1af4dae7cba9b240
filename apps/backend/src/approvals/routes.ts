import { routes } from "@agentbot/contracts";
import type { Router } from "express";
import { mountRoute } from "../http/mount-route.ts";
import type { ApprovalServices } from "./approval-services.ts";
import { decideApproval } from "./decide-approval.ts";
import { listApprovals } from "./list-approvals.ts";
import { setExecPolicy } from "./set-exec-policy.ts";

export function mountApprovalRoutes(router: Router, services: ApprovalServices) {
  mountRoute(router, routes.listApprovals, ({ params, query }) =>
    listApprovals(services, { userId: params.userId, ...query }),
  );
  mountRoute(router, routes.decideApproval, ({ params, body }) =>
    decideApproval(services, {
      userId: params.userId,
      approvalId: params.approvalId,
      decision: body.decision,
      confirmAgentName: body.confirmAgentName,
    }),
  );
  mountRoute(router, routes.setAgentExecPolicy, ({ params, body }) =>
    setExecPolicy(services, { userId: params.userId, agentId: params.agentId, execPolicy: body.execPolicy }),
  );
}
