import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';

import { AppModule } from './app.module';
import { verifyJsonBounds } from './common/validation/json-scan';
import { SERVED_ROUTE_HEADERS } from './completions/gateway-headers';
import { applyRequestTimeouts, refuseDeclaredOversizeBodies } from './common/http/request-edges';
import { appConfig } from './config/app.config';
import { GatewayLifecycle } from './lifecycle/gateway-lifecycle';
import { PinoLoggerService } from './logging/pino-logger.service';
import { REQUEST_LOGGER } from './logging/logging.module';
import { MEMORY_HEADERS } from './memory/memory-headers';
import { MetricsMiddleware } from './metrics/metrics.middleware';
import { setupSwagger } from './swagger.setup';

/**
 * Response headers browser clients on another origin may read (CORS hides all but a few
 * otherwise): the request id for support, OpenAI's rate-limit headers and retry-after for
 * backoff, and what memory and model selection did.
 */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'retry-after',
  ...MEMORY_HEADERS,
  ...SERVED_ROUTE_HEADERS,
];

/** Builds the gateway as main.ts runs it; e2e tests and the demo boot it the same way. */
export async function createGatewayApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    // Until the JSON logger takes over, Nest's own console logger stays quiet: a failed boot is
    // reported once, by main.ts, with the message that names the bad setting.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(PinoLoggerService));
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // Plain Express middleware, ahead of Nest's router: the request logger first, so that every
  // answer (a malformed body's included) has a request id and a log line; then the body parser.
  app.use(app.get<RequestHandler>(REQUEST_LOGGER));
  // Once draining, a request that still arrives on an open keep-alive connection is answered,
  // and its connection closed after the answer, so the client reconnects to another replica.
  const lifecycle = app.get(GatewayLifecycle);
  app.use((_request: Request, response: Response, next: NextFunction) => {
    if (lifecycle.draining) {
      response.setHeader('connection', 'close');
    }
    next();
  });
  // Metrics as plain Express middleware too, before the body parser: bodies it rejects (400,
  // 413) are counted and its time measured; Nest's middleware consumer would cost ~6% at c32.
  const metrics = app.get(MetricsMiddleware);
  app.use((request: Request, response: Response, next: NextFunction) =>
    metrics.use(request, response, next),
  );
  // Behind an ingress the socket peer is the proxy: the client IP (the rate-limit key when auth is
  // off) and scheme are only known from X-Forwarded-*, which must be believed from proxies alone.
  app.set('trust proxy', config.trustProxy);
  if (config.corsOrigins !== undefined) {
    // After the request logger, so preflights get a request id too. Credentials stay off: clients
    // authenticate with a bearer key, never cookies.
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  app.use(refuseDeclaredOversizeBodies(config.bodyLimitBytes));
  // The raw text is checked against the body bounds before it is parsed: JSON.parse alone
  // would block the event loop for seconds on a body of a few MB with 200,000 keys.
  app.use(
    json({
      limit: config.bodyLimit,
      verify: verifyJsonBounds,
    }),
  );
  applyRequestTimeouts(app.getHttpServer(), config.headersTimeoutMs, config.bodyTimeoutMs);
  app.disable('x-powered-by');
  // ETags on one-off completions only cost a hash of every body.
  app.set('etag', false);
  setupSwagger(app);
  return app;
}
