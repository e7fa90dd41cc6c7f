# syntax=docker/dockerfile:1
# The gateway's image: docker build -t llm-gateway . && docker run -p 3000:3000 -e ... llm-gateway
# One native module, better-sqlite3 (the embedded memory store): it is built (or its prebuilt
# binary fetched) in the deps stage, which has the compilers; the runtime image only gets the
# result. Every other install script is skipped (--ignore-scripts also skips a telemetry
# postinstall). The slim Debian base keeps glibc, which is what the tests run on.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
    && npm rebuild better-sqlite3 \
    && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
# Root owns the code, so the process cannot alter it; only /data (the memory store) is the user's.
RUN mkdir -p /data \
    && chown node:node /data
COPY --from=build /app/dist ./dist
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Node itself is PID 1 and handles SIGTERM (drains for SHUTDOWN_GRACE_MS); npm would not forward
# it. No HEALTHCHECK: orchestrators probe /health/live and /health/ready themselves.
CMD ["node", "dist/main.js"]
