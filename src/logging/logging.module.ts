import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';

import { appConfig } from '../config/app.config';
import '../common/request/request-augmentation';
import '../auth/api-key.types';

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
 * One JSON line per request with request id, key id, model, status and latency. Headers and
 * bodies are never logged: they hold proxy keys and prompts.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => ({
        forRoutes: ['{*path}'],
        pinoHttp: {
          level: app.logLevel,
          genReqId: assignRequestId,
          quietReqLogger: true,
          customProps: (request: IncomingMessage) => ({
            keyId: request.apiKey?.id,
            model: request.gatewayModel,
          }),
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({
              id: request.id,
              method: request.method,
              path: request.url.split('?')[0],
            }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
          customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
            error || response.statusCode >= 500
              ? 'error'
              : response.statusCode >= 400
                ? 'warn'
                : 'info',
          autoLogging: {
            ignore: (request: IncomingMessage & { originalUrl?: string }) =>
              (request.originalUrl ?? request.url ?? '').startsWith('/health'),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
