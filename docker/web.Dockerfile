# Agentbot web app image, for hosts other than Vercel. Build from the repository root:
#   docker build -f docker/web.Dockerfile -t agentbot-web .
FROM node:24.21.0-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@12.21.0
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile --filter "@agentbot/web..." \
 && pnpm --filter @agentbot/web run build

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
# BACKEND_URL and BACKEND_SERVICE_TOKEN are read at request time on the server; neither reaches the browser.
CMD ["node", "apps/web/node_modules/next/dist/bin/next", "start", "apps/web"]
