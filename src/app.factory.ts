import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';

import { AppModule } from './app.module';
import { verifyJsonBounds } from './common/validation/json-scan';
import { readJsonBodies } from './common/http/json-body-reader';
import { GatewayExpressAdapter } from './common/http/gateway-express.adapter';
import { applyRequestTimeouts } from './common/http/request-edges';
import { SERVED_ROUTE_HEADERS } from './completions/gateway-headers';
import { appConfig } from './config/app.config';
import { GatewayLifecycle } from './lifecycle/gateway-lifecycle';
import { PinoLoggerService } from './logging/pino-logger.service';
import { REQUEST_LOGGER, RequestLogger } from './logging/logging.module';
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
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule,
    new GatewayExpressAdapter(),
    {
      // Until the JSON logger takes over, Nest's own console logger stays quiet: a failed boot is
      // reported once, by main.ts, with the message that names the bad setting.
      logger: false,
      abortOnError: false,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(PinoLoggerService));
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // Plain Express middleware, ahead of Nest's router, in one layer (each layer costs the router
  // a match per request): the request logger first, so that every answer (a malformed body's
  // included) has a request id and a log line; metrics next, before the body is read, so that
  // bodies refused (400, 413) are counted and timed (Nest's middleware consumer cost ~6% at c32).
  // Once draining, a request that still arrives on an open keep-alive connection is answered,
  // and its connection closed after the answer, so the client reconnects to another replica.
  const logRequest = app.get<RequestLogger>(REQUEST_LOGGER);
  const metrics = app.get(MetricsMiddleware);
  const lifecycle = app.get(GatewayLifecycle);
  app.use((request: Request, response: Response, next: NextFunction) => {
    logRequest(request, response);
    if (lifecycle.draining) {
      response.setHeader('connection', 'close');
    }
    metrics.use(request, response, next);
  });
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
  // A declared length over the limit is refused before the body is read. The raw text is checked
  // against the body bounds before it is parsed (JSON.parse alone would block the event loop for
  // seconds on a body of a few MB with 200,000 keys), chunk by chunk as it arrives; body-parser
  // serves compressed bodies and other charsets.
  app.use(
    readJsonBodies({
      limitBytes: config.bodyLimitBytes,
      bodyTimeoutMs: config.bodyTimeoutMs,
      fallback: json({ limit: config.bodyLimit, verify: verifyJsonBounds }),
    }),
  );
  applyRequestTimeouts(app.getHttpServer(), config.headersTimeoutMs, config.bodyTimeoutMs);
  app.disable('x-powered-by');
  // ETags on one-off completions only cost a hash of every body.
  app.set('etag', false);
  setupSwagger(app);
  return app;
}
