# Agentbot backend image (Railway or any container host). Build from the repository root:
#   docker build -f docker/backend.Dockerfile -t agentbot-backend .
# The backend runs its TypeScript directly on Node 24 (type stripping): no compile step, so the image runs
# exactly the files the tests ran. Workspace packages must stay real directories (not copied into
# node_modules), because Node does not strip types under node_modules; hence no `pnpm deploy`.
FROM node:24.21.0-bookworm-slim AS deps
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true NODE_ENV=production \
    TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
RUN npm install -g pnpm@12.21.0
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json tsconfig.base.json ./
COPY apps/backend/package.json apps/backend/
COPY packages/ packages/
COPY prisma/ prisma/
RUN pnpm install --frozen-lockfile --filter "@agentbot/backend..." --filter "@agentbot/db" \
 && pnpm --filter @agentbot/db run generate \
 && pnpm install --frozen-lockfile --prod --filter "@agentbot/backend..."

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=deps --chown=node:node /app /app
COPY --chown=node:node apps/backend/ apps/backend/
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# DATABASE_URL and BACKEND_SERVICE_TOKEN are required; REDIS_URL should be set when running more than one replica.
CMD ["node", "apps/backend/src/main.ts"]
