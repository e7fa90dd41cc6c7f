import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';

import '../auth/api-key.types';
import '../common/request/request-augmentation';
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

// W3C Trace Context: version-traceid-parentid-flags; all-zero ids are invalid by the spec.
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;
const ZERO_TRACE = '0'.repeat(32);

/** The caller's W3C `traceparent` header when it is well-formed, to pass on upstream. */
export function traceparentOf(request: IncomingMessage): string | undefined {
  const header = request.headers.traceparent;
  const value = typeof header === 'string' ? header.trim() : '';
  const match = TRACEPARENT.exec(value);
  return match && match[1] !== ZERO_TRACE ? value : undefined;
}

/**
 * The trace id of a W3C `traceparent` header, so a log line can be found from the caller's
 * OpenTelemetry trace; undefined when the header is absent or malformed.
 */
export function traceIdOf(request: IncomingMessage): string | undefined {
  return traceparentOf(request)?.slice(3, 35);
}

/**
 * One JSON line per request with request id, key id, model, trace id (from `traceparent`),
 * status and latency. Headers and
 * bodies are never logged: they hold proxy keys and prompts.
 *
 * pino-http runs as plain Express middleware, first in the chain (see app.factory.ts), rather
 * than through nestjs-pino: its AsyncLocalStorage binding turns on promise hooks for every
 * promise of every request, which measurably cost throughput, and the few logs written inside
 * a request name their request id explicitly.
 */
function createRequestLogger(logger: Pino): RequestHandler {
  // Key id and model are added to the one line written at the end, not bound up front:
  // every binding is a child logger, and pino-http already makes one per request.
  const withRequestFacts = (request: IncomingMessage, loggable: Record<string, unknown>) => ({
    ...loggable,
    reqId: request.id,
    keyId: request.apiKey?.id,
    model: request.gatewayModel,
    traceId: traceIdOf(request),
  });
  return pinoHttp({
    logger,
    genReqId: assignRequestId,
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    customSuccessObject: (request, _response, loggable: Record<string, unknown>) =>
      withRequestFacts(request, loggable),
    // A 5xx is not an exception here: the status says it all, and the filter logs real errors.
    customErrorObject: (request, _response, _error, loggable: Record<string, unknown>) =>
      withRequestFacts(request, { ...loggable, err: undefined }),
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: {
      ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health'),
    },
  }) as RequestHandler;
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
