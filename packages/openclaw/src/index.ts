export { ExecApprovalDecision, ExecApprovalRequest, ExecApprovalResolved } from "./operator/exec-approvals.ts";
