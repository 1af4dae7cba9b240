/**
 * The fake model provider of the OpenClaw stack (run-fake-openai.ts): the one model it serves, and its answer to
 * every request, which a chat through a real OpenClaw runtime must bring back.
 */
export const fakeModelId = "e2e-fake-model";
export const fakeModelReply = "Beacon answers: the fake model heard you.";

/**
 * The per-agent tokens the backend gives runtimes for the platform provider (`agm_` + an HMAC-SHA256 in base64url).
 * The fake accepts exactly this shape: the runtime must send its own token, never a platform secret or nothing.
 */
export const platformModelTokenShape = /^agm_[A-Za-z0-9_-]{43}$/;
