export { startCdpStandIn } from "./server.ts";
export type { CdpStandIn, CdpStandInOptions, CdpStandInRequest } from "./server.ts";
export { generateCdpTestCredentials } from "./credentials.ts";
export type { CdpTestCredentials } from "./credentials.ts";
export { SIGNED_HEADERS, TRANSFER_EVENT_SIGNATURE, USDC_CONTRACTS, signCdpWebhook } from "./webhooks.ts";
export type { CdpDeliveryResult, CdpSignedDelivery, CdpTransferInput, OnchainTransferEventBody } from "./webhooks.ts";
