import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
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
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // ETags on one-off completions only cost a hash of every body.
  app.set('etag', false);
  setupSwagger(app);
  return app;
}
