import config from "@agentbot/eslint-config";

// .data/: the web app copies stripe-webhook-ack.ts builds (removed when it ends, kept with --build-dir).
export default [...config, { ignores: [".data/**"] }];
