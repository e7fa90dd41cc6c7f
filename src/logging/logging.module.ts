import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { Logger as Pino } from 'pino';

import '../auth/api-key.types';
import '../common/request/request-augmentation';
import { traceIdOf } from '../common/http/trace-context';
import { appConfig } from '../config/app.config';
import { PinoLoggerService } from './pino-logger.service';

export const PINO = Symbol('PINO');
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Keeps a well-formed incoming x-request-id (it ties logs across hops), else makes one. */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id =
    typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('x-request-id', id);
  return id;
}

/**
 * One JSON line per request with request id, key id, model, trace id (from `traceparent`),
 * status and latency. Headers and bodies are never logged: they hold proxy keys and prompts.
 *
 * Called first for every request (see app.factory.ts), it writes the line with pino
 * when the connection is done with the request. It replaces pino-http, whose child logger per
 * request (bindings serialised up front) cost ~5% of the gateway's CPU at c32, for one line
 * with the same fields (`req`, `res`, `responseTime`, `reqId`, `keyId`, `model`, `traceId`).
 */
export type RequestLogger = (request: Request, response: Response) => void;

function createRequestLogger(logger: Pino): RequestLogger {
  return (request, response) => {
    request.id = assignRequestId(request, response);
    if (request.url.startsWith('/health')) {
      return;
    }
    const startedAt = Date.now();
    response.once('close', () => {
      const statusCode = response.statusCode;
      // A client that goes away is no server error: one info line, with how long it had run.
      const closed = !response.writableFinished;
      const level = closed
        ? 'info'
        : statusCode >= 500
          ? 'error'
          : statusCode >= 400
            ? 'warn'
            : 'info';
      if (!logger.isLevelEnabled(level)) {
        return;
      }
      const path = request.originalUrl;
      const query = path.indexOf('?');
      logger[level](
        {
          req: {
            id: request.id,
            method: request.method,
            path: query < 0 ? path : path.slice(0, query),
          },
          res: { statusCode },
          responseTime: Date.now() - startedAt,
          reqId: request.id,
          keyId: request.apiKey?.id,
          model: request.gatewayModel,
          traceId: traceIdOf(request),
        },
        closed ? 'request closed by the client' : 'request completed',
      );
    });
  };
}

@Global()
@Module({
  providers: [
    {
      provide: PINO,
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => pino({ level: app.logLevel }),
    },
    {
      provide: PinoLoggerService,
      inject: [PINO],
      useFactory: (logger: Pino) => new PinoLoggerService(logger),
    },
    { provide: REQUEST_LOGGER, inject: [PINO], useFactory: createRequestLogger },
  ],
  exports: [PINO, PinoLoggerService, REQUEST_LOGGER],
})
export class LoggingModule {}
