export { ExecApprovalDecision, ExecApprovalRequest, ExecApprovalResolved } from "./operator/exec-approvals.ts";
export {
  deviceIdentityFromPem,
  exportDevicePrivateKey,
  generateDeviceIdentity,
  signDeviceAuth,
} from "./operator/device-identity.ts";
export type { DeviceIdentity } from "./operator/device-identity.ts";
export { HelloOk, OperatorError, PROTOCOL_VERSION } from "./operator/frames.ts";
export { connectOperator, OPERATOR_SCOPES } from "./operator/operator-connection.ts";
export type {
  OperatorConnection,
  OperatorConnectOptions,
  OperatorEventListener,
  OperatorScope,
} from "./operator/operator-connection.ts";
export { startOperatorClient } from "./operator/operator-client.ts";
export type { OperatorClient, OperatorClientOptions } from "./operator/operator-client.ts";
export { ExecApprovalsDocument, operatorMethods } from "./operator/methods.ts";
export type { OperatorMethods, OperatorRequester } from "./operator/methods.ts";
