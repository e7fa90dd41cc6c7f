# syntax=docker/dockerfile:1
# The gateway's image: docker build -t llm-gateway . && docker run -p 3000:3000 -e ... llm-gateway
# No native modules (pg is pure JS, PGlite is WebAssembly), so no install script needs to run
# (--ignore-scripts also skips a telemetry postinstall); the slim Debian base keeps glibc, which
# is what the tests run on.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# Root owns the code, so the process cannot alter it; only /data (PGlite) is the user's.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
    && npm cache clean --force \
    && mkdir -p /data \
    && chown node:node /data
COPY --from=build /app/dist ./dist
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Node itself is PID 1 and handles SIGTERM (drains for SHUTDOWN_GRACE_MS); npm would not forward
# it. No HEALTHCHECK: orchestrators probe /health/live and /health/ready themselves.
CMD ["node", "dist/main.js"]
