# Agentbot runtime image: one agent's OpenClaw gateway (what the Railway engine driver deploys per agent). Build from
# the repository root, one tag per OpenClaw version:
#   docker build -f docker/runtime.Dockerfile --build-arg OPENCLAW_VERSION=2026.9.6 -t agentbot-runtime:2026.9.6 .
#
# Base: Node 24 (bookworm slim, the same as the backend image) + `npm install -g openclaw@<version>`, i.e. exactly the
# npm package the local engine installs and our tests boot (packages/engine/test/openclaw-runtime.test.ts), rather than
# ghcr.io/openclaw/openclaw, whose layout and bundled extras (codex, diagnostics-otel plugins) we do not test.
# The agent's config arrives as the variable AGENTBOT_OPENCLAW_CONFIG; secrets arrive as their own variables
# (OPENCLAW_GATEWAY_TOKEN, provider keys), referenced from the config as ${VAR}. See docker/README.md.
FROM node:24.21.0-bookworm-slim

ARG OPENCLAW_VERSION=2026.9.6

# tini as PID 1: reaps the gateway's helper processes and forwards signals.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# The pinned runtime. Its install scripts (koffi prebuilds, bundled-plugin postinstall) run here, at build time.
RUN npm install -g --no-audit --no-fund --no-update-notifier --omit=dev --foreground-scripts "openclaw@${OPENCLAW_VERSION}" \
 && npm cache clean --force \
 && test "$(node -p "require('/usr/local/lib/node_modules/openclaw/package.json').version")" = "${OPENCLAW_VERSION}"

COPY docker/runtime-entrypoint.mjs /usr/local/lib/agentbot/runtime-entrypoint.mjs

# State on the volume mounted at /data (config, SQLite stores with channel/OAuth credentials, workspace, skills).
# NODE_OPTIONS: the 2 GB plan's heap cap (75% of memory); the driver overrides it per plan through the workload env.
# The OPENCLAW_* switches: the platform supervises, discovers and upgrades the runtime, not the runtime itself.
ENV NODE_ENV=production \
    OPENCLAW_STATE_DIR=/data/.openclaw \
    NODE_OPTIONS=--max-old-space-size=1536 \
    OPENCLAW_NO_RESPAWN=1 \
    OPENCLAW_DISABLE_BONJOUR=1 \
    OPENCLAW_NO_AUTO_UPDATE=1 \
    AGENTBOT_RUNTIME_USER=node

RUN mkdir -p /data/.openclaw && chown -R node:node /data && chmod 700 /data/.openclaw

# No USER line on purpose: hosts such as Railway mount volumes root-owned over /data, so the entrypoint starts as
# root only to hand the volume to `node` and write the config, then drops to `node` (uid 1000) before it execs the
# gateway. The gateway never runs as root.
WORKDIR /data
EXPOSE 18789
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:18789/healthz').then(r=>r.json()).then(b=>process.exit(b&&b.ok===true?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/usr/local/lib/agentbot/runtime-entrypoint.mjs"]
