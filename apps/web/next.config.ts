import type { NextConfig } from "next";
import { withBotId } from "botid/next/config";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

/**
 * Security headers for every response. No nonces: every page would have to render per request to carry one, and
 * inline scripts from Next.js itself need 'unsafe-inline' without them. What this does not cover: HTTPS redirects and
 * HSTS preloading belong to the edge (Vercel, Caddy); HSTS here only takes effect once the site is served over HTTPS.
 */
function securityHeaders(isDev: boolean) {
  const csp = [
    "default-src 'self'",
    // React uses eval() only in development, for server error stacks.
    `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${isDev ? " ws:" : ""}`,
    // The ALTCHA proof-of-work widget solves its challenge in Web Workers created from blob: URLs.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    // Billing's server actions answer a form post with a redirect to Stripe's hosted Checkout or Portal; without
    // JavaScript that redirect is the form's navigation, which form-action governs. (A local Stripe stand-in is only
    // reached with JavaScript, as the browser tests do: client-side navigation is not a form submission.)
    "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), browsing-topics=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  ];
}

export default function config(phase: string): NextConfig {
  const isDev = phase === PHASE_DEVELOPMENT_SERVER;
  // withBotId adds the same-origin paths BotID's browser script and its challenge are served from (rewrites to
  // Vercel). They are only ever requested where BOT_CHECK_PROVIDER=botid (the sign-up form then starts BotID).
  return withBotId({
    poweredByHeader: false,
    reactStrictMode: true,
    // Workspace packages export TypeScript source (with `.ts` import specifiers); Next compiles them with the app.
    transpilePackages: [
      "@agentbot/auth",
      "@agentbot/billing",
      "@agentbot/bot-check",
      "@agentbot/client",
      "@agentbot/contracts",
      "@agentbot/db",
      "@agentbot/email",
      "@agentbot/kv",
      "@agentbot/plans",
      "@agentbot/ui",
    ],
    // The CDP SDK loads optional payment modules (@x402/*) we do not use: bundling it fails on them, so it is left to
    // Node's own require at run time (a direct dependency of this app so it resolves from here).
    serverExternalPackages: ["@coinbase/cdp-sdk"],
    typedRoutes: true,
    headers() {
      return Promise.resolve([{ source: "/:path*", headers: securityHeaders(isDev) }]);
    },
  });
}
