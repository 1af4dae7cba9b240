/** Where apps/web mounts better-auth's handler. */
export const AUTH_BASE_PATH = "/api/auth";
/** Every API key starts with this, so keys are recognisable (secret scanners, logs, support). */
export const API_KEY_PREFIX = "agb_";
/** Random letters after the prefix (better-auth's generator: a-z, A-Z): about 365 bits. */
export const API_KEY_RANDOM_LENGTH = 64;
