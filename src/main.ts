import type { ConfigType } from '@nestjs/config';

import { createGatewayApp } from './app.factory';
import { appConfig } from './config/app.config';
import { InvalidConfigError } from './config/validate-env';

async function bootstrap(): Promise<void> {
  const app = await createGatewayApp();
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  await app.listen(config.port, config.host);
  const server = app.getHttpServer();

  let stopping = false;
  const drainAndExit = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(
      `${JSON.stringify({ level: 30, time: Date.now(), msg: `${signal} received; draining`, graceMs: config.shutdownGraceMs })}\n`,
    );
    // In-flight requests and streams may finish within the grace period; then we cut them.
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, config.shutdownGraceMs);
    deadline.unref();
    // close() drops idle keep-alive sockets only once; ones that go idle later would otherwise
    // hold the exit until their keep-alive timeout.
    setInterval(() => server.closeIdleConnections(), 100).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGTERM', () => drainAndExit('SIGTERM'));
  process.once('SIGINT', () => drainAndExit('SIGINT'));
}

bootstrap().catch((error: Error) => {
  const detail =
    error instanceof InvalidConfigError ? error.message : (error.stack ?? error.message);
  process.stderr.write(`Gateway failed to start: ${detail}\n`);
  process.exit(1);
});
