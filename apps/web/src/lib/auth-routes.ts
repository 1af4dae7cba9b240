/**
 * The better-auth endpoints the browser calls (mounted at /api/auth by app/api/auth/[...all]/route.ts), and the
 * account pages they send people back to. Shared by client and server code; holds no secrets.
 */
export const authBasePath = "/api/auth";
export const signUpPath = `${authBasePath}/sign-up/email`;
export const signInPath = `${authBasePath}/sign-in/email`;
export const requestPasswordResetPath = `${authBasePath}/request-password-reset`;
export const resetPasswordPath = `${authBasePath}/reset-password`;
export const updateUserPath = `${authBasePath}/update-user`;
export const changePasswordPath = `${authBasePath}/change-password`;
export const sendVerificationEmailPath = `${authBasePath}/send-verification-email`;

/** The header that carries the ALTCHA payload to the sign-up endpoint (`BOT_CHECK_HEADER` in @agentbot/auth). */
export const botCheckPayloadHeader = "x-bot-check";
/** Where the widget fetches a fresh proof-of-work challenge (app/api/bot-check/challenge/route.ts). */
export const botChallengePath = "/api/bot-check/challenge";
