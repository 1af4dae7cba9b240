import {
  agentActionRoute,
  agentEventsStreamRoute,
  agentLogsRoute,
  chatWithAgentRoute,
  controlUiRoute,
  deleteAgentRoute,
  followAgentLogsRoute,
  getAgentRoute,
  listAgentsRoute,
  provisionAgentRoute,
} from "./agents.ts";
import {
  approvalsStreamRoute,
  countPendingApprovalsRoute,
  decideApprovalRoute,
  listApprovalsRoute,
  listExecAllowlistRoute,
  removeExecAllowlistEntryRoute,
  setExecPolicyRoute,
} from "./approvals.ts";
import { livenessRoute, readinessRoute } from "./health.ts";
import { listPlansRoute, platformStatusRoute } from "./platform.ts";

/** Every backend route. The OpenAPI document and the backend's route table are built from this list. */
export const routes = {
  liveness: livenessRoute,
  readiness: readinessRoute,
  platformStatus: platformStatusRoute,
  listPlans: listPlansRoute,
  provisionAgent: provisionAgentRoute,
  listAgents: listAgentsRoute,
  getAgent: getAgentRoute,
  agentAction: agentActionRoute,
  deleteAgent: deleteAgentRoute,
  getAgentLogs: agentLogsRoute,
  followAgentLogs: followAgentLogsRoute,
  streamAgentEvents: agentEventsStreamRoute,
  chatWithAgent: chatWithAgentRoute,
  getAgentControlUi: controlUiRoute,
  listApprovals: listApprovalsRoute,
  countPendingApprovals: countPendingApprovalsRoute,
  streamApprovals: approvalsStreamRoute,
  decideApproval: decideApprovalRoute,
  setAgentExecPolicy: setExecPolicyRoute,
  listExecAllowlist: listExecAllowlistRoute,
  removeExecAllowlistEntry: removeExecAllowlistEntryRoute,
} as const;

export type Routes = typeof routes;
