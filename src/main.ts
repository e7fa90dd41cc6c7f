import type { ConfigType } from '@nestjs/config';
import { setFlagsFromString } from 'node:v8';

import { createGatewayApp } from './app.factory';
import { appConfig } from './config/app.config';
import { InvalidConfigError } from './config/validate-env';
import { GatewayLifecycle } from './lifecycle/gateway-lifecycle';

/** After the grace period, how long cut streams get to deliver their final error event. */
const CUT_FLUSH_MS = 200;

/**
 * V8 moves an allocation site's objects straight to the old generation once enough of them
 * outlive young collections. A batch write holds hundreds of Postgres rows across its
 * transaction, so after a bulk load V8 did that for the driver's row parsing, which every query
 * shares: from then on each search's rows went to the old generation and kept their strings
 * through every young collection (3 MB copied, 10-16 ms pauses every ~15 searches; search p95
 * 14 ms after a load against 9 ms before it). Without that, rows die young as they should.
 */
setFlagsFromString('--no-allocation-site-pretenuring');

async function bootstrap(): Promise<void> {
  const app = await createGatewayApp();
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const lifecycle = app.get(GatewayLifecycle);
  await app.listen(config.port, config.host);
  const server = app.getHttpServer();

  let stopping = false;
  const drainAndExit = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    // All at once, before any other request can be read: readiness turns 503, answers from now
    // on say `connection: close` (see app.factory.ts), and the listener stops taking connections
    // (which also drops the idle keep-alive ones).
    lifecycle.drain();
    // Modules (memory writes, probes) shut down once the last connection has closed.
    server.close(() => {
      app
        .close()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
    process.stdout.write(
      `${JSON.stringify({ level: 30, time: Date.now(), msg: `${signal} received; draining`, graceMs: config.shutdownGraceMs })}\n`,
    );
    // Connections whose in-flight answer was sent with keep-alive go idle later: drop them then.
    setInterval(() => server.closeIdleConnections(), 100).unref();
    // In-flight requests and streams may finish within the grace period; then streams are cut
    // with an error event, and what is left is closed.
    setTimeout(() => {
      lifecycle.cutInFlight();
      setTimeout(() => {
        server.closeAllConnections();
        process.exit(0);
      }, CUT_FLUSH_MS).unref();
    }, config.shutdownGraceMs).unref();
  };
  process.once('SIGTERM', () => drainAndExit('SIGTERM'));
  process.once('SIGINT', () => drainAndExit('SIGINT'));
}

bootstrap().catch((error: Error) => {
  const detail =
    error instanceof InvalidConfigError || error.name === 'DataDirInUseError'
      ? error.message
      : (error.stack ?? error.message);
  process.stderr.write(`Gateway failed to start: ${detail}\n`);
  process.exit(1);
});
