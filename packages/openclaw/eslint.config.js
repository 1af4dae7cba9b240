export { default } from "@agentbot/eslint-config";
