import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { ConfigType } from '@nestjs/config';
import type { RequestHandler } from 'express';
import { json } from 'express';

import { AppModule } from './app.module';
import { appConfig } from './config/app.config';
import { PinoLoggerService } from './logging/pino-logger.service';
import { REQUEST_LOGGER } from './logging/logging.module';
import { setupSwagger } from './swagger.setup';

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
  app.use(json({ limit: config.bodyLimit }));
  app.disable('x-powered-by');
  // ETags on one-off completions only cost a hash of every body.
  app.set('etag', false);
  setupSwagger(app);
  return app;
}
